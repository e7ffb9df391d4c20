// Typed access to the part of tsshogi 2.2 that the records module uses.
//
// tsshogi 2.2.0's declaration files re-export their siblings without file extensions
// (`export * from "./record"`) inside a "type": "module" package. TypeScript's NodeNext
// resolution, which this project uses, cannot follow those paths, so every named import from
// "tsshogi" fails to type-check although the JavaScript runs. This file imports the package as
// a whole and states the types of the members used, copied in meaning from tsshogi's .d.ts files.
// The values (enums, classes, functions) are tsshogi's own; a test checks a sample of them.

import * as untyped from "tsshogi";

export type Color = "black" | "white";

export type PieceType =
  | "pawn"
  | "lance"
  | "knight"
  | "silver"
  | "gold"
  | "bishop"
  | "rook"
  | "king"
  | "promPawn"
  | "promLance"
  | "promKnight"
  | "promSilver"
  | "horse"
  | "dragon";

export type SpecialMoveType =
  | "start"
  | "interrupt"
  | "resign"
  | "maxMoves"
  | "impass"
  | "draw"
  | "repetitionDraw"
  | "mate"
  | "noMate"
  | "timeout"
  | "foulWin"
  | "foulLose"
  | "enteringOfKing"
  | "winByDefault"
  | "loseByDefault"
  | "try";

/** A known special move, or one with a name tsshogi does not know ("any"). */
export type SpecialMove = { type: SpecialMoveType } | { type: "any"; name: string };

export interface Move {
  readonly usi: string;
  /** The moving piece before any promotion. */
  readonly pieceType: PieceType;
  readonly color: Color;
}

export interface Position {
  readonly sfen: string;
  /** The side to move. */
  readonly color: Color;
  isValidMove(move: Move): boolean;
  doMove(move: Move, options?: { ignoreValidation?: boolean }): boolean;
  createMoveByUSI(usi: string): Move | null;
}

export interface RecordMetadata {
  readonly standardMetadataKeys: IterableIterator<string>;
  readonly customMetadataKeys: IterableIterator<string>;
  getStandardMetadata(key: string): string | undefined;
  getCustomMetadata(key: string): string | undefined;
  setStandardMetadata(key: string, value: string): void;
  setCustomMetadata(key: string, value: string): void;
}

export interface RecordNode {
  readonly ply: number;
  readonly move: Move | SpecialMove;
  readonly elapsedMs: number;
  setElapsedMs(elapsedMs: number): void;
}

export interface Record {
  metadata: RecordMetadata;
  readonly initialPosition: Position;
  readonly position: Position;
  readonly current: RecordNode;
  /** The nodes of the active path, starting with the start node (ply 0). */
  readonly moves: RecordNode[];
  /** The side giving continuous check when the current position is a fourfold repetition. */
  readonly perpetualCheck: Color | null;
  append(move: Move | SpecialMove, options?: { ignoreValidation?: boolean }): boolean;
  goto(ply: number): void;
}

/** tsshogi's parse errors carry the offending line or statement in `data`. */
export type ParseError = Error & { data?: string };

interface CsaExportOptions {
  returnCode?: string;
  v3?: { encoding?: "UTF-8" | "SHIFT_JIS"; milliseconds?: boolean };
  comment?: string;
}

interface TsshogiApi {
  Color: { readonly BLACK: "black"; readonly WHITE: "white" };
  SpecialMoveType: Readonly<SpecialMoveByKey>;
  RecordFormatType: { readonly KIF: number; readonly KI2: number; readonly CSA: number };
  Move: abstract new (...args: never[]) => Move;
  Position: { newBySFEN(sfen: string): Position | null };
  Record: new (position?: Position) => Record;
  RecordMetadata: new () => RecordMetadata;
  importKIF(text: string): Record | ParseError;
  importKI2(text: string): Record | ParseError;
  importCSA(text: string): Record | ParseError;
  exportKIF(record: Record, options?: { returnCode?: string; comment?: string }): string;
  exportCSA(record: Record, options?: CsaExportOptions): string;
  exportBOD(record: Record): string;
  detectRecordFormat(text: string): number;
  specialMove(type: SpecialMoveType): SpecialMove;
  anySpecialMove(name: string): SpecialMove;
}

/** SpecialMoveType member names of tsshogi, mapped to their values. */
interface SpecialMoveByKey {
  START: "start";
  INTERRUPT: "interrupt";
  RESIGN: "resign";
  MAX_MOVES: "maxMoves";
  IMPASS: "impass";
  DRAW: "draw";
  REPETITION_DRAW: "repetitionDraw";
  MATE: "mate";
  NO_MATE: "noMate";
  TIMEOUT: "timeout";
  FOUL_WIN: "foulWin";
  FOUL_LOSE: "foulLose";
  ENTERING_OF_KING: "enteringOfKing";
  WIN_BY_DEFAULT: "winByDefault";
  LOSE_BY_DEFAULT: "loseByDefault";
  TRY: "try";
}

const api = untyped as unknown as TsshogiApi;

export const {
  Color,
  SpecialMoveType,
  RecordFormatType,
  Move,
  Position,
  Record,
  RecordMetadata,
  importKIF,
  importKI2,
  importCSA,
  exportKIF,
  exportCSA,
  exportBOD,
  detectRecordFormat,
  specialMove,
  anySpecialMove,
} = api;

export function isMove(move: Move | SpecialMove): move is Move {
  return move instanceof Move;
}

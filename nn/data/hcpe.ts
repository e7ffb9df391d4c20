// dlshogi's hcpe (HuffmanCodedPosAndEval): the 38-byte record of `.hcpe` teacher files.
//
//   offset 0   32 bytes  HuffmanCodedPos (huffman-coded-pos.ts)
//   offset 32  int16     eval from the side to move's view (dlshogi's scale: 756.0865 per logit)
//   offset 34  uint16    bestMove16 in Apery/cshogi move16 encoding
//   offset 36  uint8     gameResult, absolute: 0 draw, 1 Black won, 2 White won
//   offset 37  uint8     padding: written as 0, ignored on reading
//
// hcpe has no ply field: readers return ply 0 and writers drop the ply. The eval is copied
// without rescaling.

import { BLACK, type Color, MOVE_DROP_FLAG, MOVE_NONE, MOVE_PROMOTE_FLAG, SQUARE_NB, type Move } from "../../shogi/types.js";
import { RecordCodecError } from "./errors.js";
import { decodeHuffmanCodedPos, encodeHuffmanCodedPos } from "./huffman-coded-pos.js";
import { POSITION_BYTES } from "./huffman.js";
import { readUint16, writeUint16 } from "./psv.js";
import { type GameResult, type TeacherRecord, checkBinaryFields, checkMoveShape, hex16 } from "./record.js";

export const HCPE_RECORD_BYTES = 38;
const EVAL_OFFSET = POSITION_BYTES;
const MOVE_OFFSET = 34;
const RESULT_OFFSET = 36;
const PADDING_OFFSET = 37;

/** hcpe gameResult values (cshogi's GameResult). */
export const HCPE_DRAW = 0;
export const HCPE_BLACK_WIN = 1;
export const HCPE_WHITE_WIN = 2;

const SQUARE_MASK = 0x7f;
const FROM_SHIFT = 7;
/** Apery move16 marks a drop by origin = APERY_DROP_BASE + piece type. */
const APERY_DROP_BASE = SQUARE_NB - 1;
const APERY_PROMOTE_FLAG = 1 << 14;
const APERY_UNUSED_BIT = 1 << 15;

/** Writes a record as 38 hcpe bytes at out[offset]; the ply is not stored. Throws RecordCodecError. */
export function encodeHcpe(record: TeacherRecord, out: Uint8Array, offset: number): void {
  checkBinaryFields(record);
  const move = checkMoveShape(record.move);
  encodeHuffmanCodedPos(record.setup, out, offset);
  writeUint16(out, offset + EVAL_OFFSET, record.score);
  writeUint16(out, offset + MOVE_OFFSET, toAperyMove16(move));
  out[offset + RESULT_OFFSET] = toHcpeResult(record.result, record.setup.turn);
  out[offset + PADDING_OFFSET] = 0;
}

/** Reads the 38-byte hcpe record at bytes[offset] with ply 0; throws RecordCodecError on corrupt bytes. */
export function decodeHcpe(bytes: Uint8Array, offset: number): TeacherRecord {
  const setup = decodeHuffmanCodedPos(bytes, offset);
  const score = (readUint16(bytes, offset + EVAL_OFFSET) << 16) >> 16;
  const move = checkMoveShape(fromAperyMove16(readUint16(bytes, offset + MOVE_OFFSET)));
  const result = fromHcpeResult(bytes[offset + RESULT_OFFSET], setup.turn);
  return { setup, score, move, ply: 0, result };
}

/** Converts a 16-bit move of ours (YaneuraOu Move16) into Apery/cshogi move16. */
export function toAperyMove16(move: Move): number {
  if (move === MOVE_NONE) return 0;
  const to = move & SQUARE_MASK;
  const from = (move >> FROM_SHIFT) & SQUARE_MASK;
  if (move & MOVE_DROP_FLAG) return to | ((APERY_DROP_BASE + from) << FROM_SHIFT);
  return to | (from << FROM_SHIFT) | (move & MOVE_PROMOTE_FLAG ? APERY_PROMOTE_FLAG : 0);
}

/** Converts an Apery/cshogi move16 into our 16-bit move; the result still needs checkMoveShape. */
export function fromAperyMove16(apery: number): Move {
  if (apery === 0) return MOVE_NONE;
  if (apery & APERY_UNUSED_BIT) throw new RecordCodecError("bad_move", `bestMove16 0x${hex16(apery)} sets bit 15, which Apery move16 does not use`);
  const to = apery & SQUARE_MASK;
  const from = (apery >> FROM_SHIFT) & SQUARE_MASK;
  if (from > APERY_DROP_BASE) {
    if (apery & APERY_PROMOTE_FLAG) {
      throw new RecordCodecError("bad_move", `bestMove16 0x${hex16(apery)} is a drop with the promotion flag`);
    }
    return to | ((from - APERY_DROP_BASE) << FROM_SHIFT) | MOVE_DROP_FLAG;
  }
  return to | (from << FROM_SHIFT) | (apery & APERY_PROMOTE_FLAG ? MOVE_PROMOTE_FLAG : 0);
}

function toHcpeResult(result: GameResult, turn: Color): number {
  if (result === 0) return HCPE_DRAW;
  const blackWon = (result === 1) === (turn === BLACK);
  return blackWon ? HCPE_BLACK_WIN : HCPE_WHITE_WIN;
}

function fromHcpeResult(value: number, turn: Color): GameResult {
  if (value === HCPE_DRAW) return 0;
  if (value === HCPE_BLACK_WIN) return turn === BLACK ? 1 : -1;
  if (value === HCPE_WHITE_WIN) return turn === BLACK ? -1 : 1;
  throw new RecordCodecError("bad_result", `gameResult byte is ${value}, not 0 (draw), 1 (Black won) or 2 (White won); hcpe2 flag bits are not read`);
}

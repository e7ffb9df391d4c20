// Table-driven codec for the 256-bit Huffman position streams of YaneuraOu (PackedSfen) and
// Apery/cshogi (HuffmanCodedPos). Both streams share one layout and differ only in their codes:
//
//   1 bit side to move (1 = White), 7 bits Black king square, 7 bits White king square,
//   one board code per square 0..80 except the two king squares,
//   hand codes (Black, then White; pawn, lance, knight, silver, gold, bishop, rook),
//   piece-box codes for every non-king piece that is neither on the board nor in a hand.
//
// With all 38 non-king pieces accounted for, the stream is exactly 256 bits. Bits are
// LSB-first: stream bit i is bit (i & 7) of byte (i >> 3), and a code "1100" puts its first
// character in the first bit.

import type { Setup } from "../../shogi/sfen.js";
import {
  BISHOP, BLACK, GOLD, KING, KNIGHT, LANCE, PAWN, PIECE_COUNT, PIECE_NB, PROMOTED, ROOK, SILVER,
  SQUARE_NB, WHITE, type Color, makePiece, pieceColor, pieceType, rawType, squareName,
} from "../../shogi/types.js";
import { RecordCodecError } from "./errors.js";

export const POSITION_BYTES = 32;
const POSITION_BITS = POSITION_BYTES * 8;
const KING_SQUARE_BITS = 7;
/** King square value that YaneuraOu writes for a side without a king. */
const NO_KING_SQUARE = SQUARE_NB;
const HEADER_BITS = 1 + 2 * KING_SQUARE_BITS;
/** Bits peeked per table look-up; no code of either format is longer. */
const PEEK_BITS = 8;
const PEEK_MASK = (1 << PEEK_BITS) - 1;
const LENGTH_SHIFT = 5;
const BOX_FLAG = 16;
const INVALID = -1;

/** Order of hand and piece-box codes in both streams (Apery's HandPiece order). */
export const STREAM_HAND_ORDER = [PAWN, LANCE, KNIGHT, SILVER, GOLD, BISHOP, ROOK] as const;
const TYPE_NAMES = ["", "pawn", "lance", "knight", "silver", "bishop", "rook", "gold", "king"];

/** The codes of one stream format, each a string of '0' and '1' in stream order. */
export interface PositionCodeSpec {
  readonly name: string;
  /** Board code of a piece (colour included); piece 0 is an empty square. Kings have none. */
  boardCode(piece: number): string;
  /** Hand code of an unpromoted hand type (PAWN..GOLD) held by a colour. */
  handCode(color: Color, type: number): string;
  /** Piece-box code of an unpromoted hand type. */
  boxCode(type: number): string;
}

/** Encoder and decoder of one stream format, with look-up tables built once from its spec. */
export class PositionCodec {
  readonly name: string;
  private readonly boardBits = new Uint16Array(PIECE_NB);
  private readonly boardLength = new Uint8Array(PIECE_NB);
  private readonly handBits = new Uint16Array(16);
  private readonly handLength = new Uint8Array(16);
  private readonly boxBits = new Uint16Array(8);
  private readonly boxLength = new Uint8Array(8);
  /** Next 8 stream bits -> piece | length << 5, or INVALID. */
  private readonly boardTable = new Int16Array(1 << PEEK_BITS).fill(INVALID);
  /** Next 8 stream bits -> (color * 8 + type | BOX_FLAG for a piece-box code) | length << 5, or INVALID. */
  private readonly handTable = new Int16Array(1 << PEEK_BITS).fill(INVALID);
  /** Pieces counted per unpromoted type while decoding. */
  private readonly counts = new Int32Array(8);

  constructor(spec: PositionCodeSpec) {
    this.name = spec.name;
    for (const color of [BLACK, WHITE] as Color[]) {
      for (let type = PAWN; type <= PROMOTED + ROOK; type++) {
        if (type !== KING) this.addBoardCode(makePiece(color, type), spec.boardCode(makePiece(color, type)));
      }
      for (const type of STREAM_HAND_ORDER) {
        this.addHandCode(color * 8 + type, spec.handCode(color, type), this.handBits, this.handLength);
      }
    }
    this.addBoardCode(0, spec.boardCode(0));
    for (const type of STREAM_HAND_ORDER) {
      this.addHandCode(type, spec.boxCode(type), this.boxBits, this.boxLength, BOX_FLAG);
    }
  }

  private addBoardCode(piece: number, code: string): void {
    const { bits, length } = parseCode(code);
    this.boardBits[piece] = bits;
    this.boardLength[piece] = length;
    fillTable(this.boardTable, bits, length, piece, code);
  }

  private addHandCode(index: number, code: string, bitsOut: Uint16Array, lengthOut: Uint8Array, flag = 0): void {
    const { bits, length } = parseCode(code);
    bitsOut[index] = bits;
    lengthOut[index] = length;
    fillTable(this.handTable, bits, length, index | flag, code);
  }

  /**
   * Writes the 32-byte stream of a setup at out[offset]. The move number is not stored.
   * Throws RecordCodecError ("bad_king", "piece_count") when the setup has no stream form.
   */
  encode(setup: Setup, out: Uint8Array, offset: number): void {
    const [blackKing, whiteKing] = findKings(setup.board);
    const boxed = this.countBoxedPieces(setup);
    out.fill(0, offset, offset + POSITION_BYTES);
    let cursor = putBits(out, offset, 0, setup.turn, 1);
    cursor = putBits(out, offset, cursor, blackKing, KING_SQUARE_BITS);
    cursor = putBits(out, offset, cursor, whiteKing, KING_SQUARE_BITS);
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      if (sq === blackKing || sq === whiteKing) continue;
      const piece = setup.board[sq];
      cursor = putBits(out, offset, cursor, this.boardBits[piece], this.boardLength[piece]);
    }
    for (const color of [BLACK, WHITE]) {
      for (const type of STREAM_HAND_ORDER) {
        const index = color * 8 + type;
        for (let n = setup.hands[index]; n > 0; n--) {
          cursor = putBits(out, offset, cursor, this.handBits[index], this.handLength[index]);
        }
      }
    }
    for (const type of STREAM_HAND_ORDER) {
      for (let n = boxed[type]; n > 0; n--) cursor = putBits(out, offset, cursor, this.boxBits[type], this.boxLength[type]);
    }
    if (cursor !== POSITION_BITS) throw new Error(`${this.name} encoder wrote ${cursor} bits instead of ${POSITION_BITS}`);
  }

  /** Counts the pieces of each hand type that go to the piece box; throws "piece_count" when a type has too many. */
  private countBoxedPieces(setup: Setup): Int32Array {
    const boxed = this.counts.fill(0);
    for (const type of STREAM_HAND_ORDER) boxed[type] = PIECE_COUNT[type] - setup.hands[type] - setup.hands[8 + type];
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      const type = rawType(pieceType(setup.board[sq]));
      if (type !== 0 && type !== KING) boxed[type]--;
    }
    for (const type of STREAM_HAND_ORDER) {
      if (boxed[type] < 0) {
        throw new RecordCodecError("piece_count", `${PIECE_COUNT[type] - boxed[type]} ${TYPE_NAMES[type]}s exceed the ${PIECE_COUNT[type]} of a shogi set`);
      }
    }
    return boxed;
  }

  /**
   * Reads the 32-byte stream at bytes[offset] into a setup whose move number is 1.
   * Throws RecordCodecError ("bad_huffman", "bad_king", "piece_count") on a corrupt stream.
   */
  decode(bytes: Uint8Array, offset: number): Setup {
    const board = new Uint8Array(SQUARE_NB);
    const hands = new Uint8Array(16);
    const turn = (bytes[offset] & 1) as Color;
    const blackKing = (bytes[offset] >> 1) & 0x7f;
    const whiteKing = bytes[offset + 1] & 0x7f;
    checkKingSquares(blackKing, whiteKing);
    board[blackKing] = makePiece(BLACK, KING);
    board[whiteKing] = makePiece(WHITE, KING);
    this.counts.fill(0);
    let cursor = this.decodeBoard(bytes, offset, board);
    while (cursor < POSITION_BITS) {
      const entry = this.handTable[peekBits(bytes, offset, cursor)];
      if (entry === INVALID) {
        throw new RecordCodecError("bad_huffman", `no ${this.name} hand or piece-box code matches the bits at stream bit ${cursor}`);
      }
      cursor = advance(cursor, entry, this.name);
      const index = entry & 15;
      this.countPiece(index & 7);
      if ((entry & BOX_FLAG) === 0) hands[index]++;
    }
    this.checkAllPiecesCounted();
    return { board, hands, turn, moveNumber: 1 };
  }

  private decodeBoard(bytes: Uint8Array, offset: number, board: Uint8Array): number {
    let cursor = HEADER_BITS;
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      if (board[sq] !== 0) continue; // a king square
      const entry = this.boardTable[peekBits(bytes, offset, cursor)];
      if (entry === INVALID) {
        throw new RecordCodecError("bad_huffman", `no ${this.name} board code matches the bits at stream bit ${cursor} (square ${squareName(sq)})`);
      }
      cursor = advance(cursor, entry, this.name);
      const piece = entry & 31;
      board[sq] = piece;
      if (piece !== 0) this.countPiece(rawType(pieceType(piece)));
    }
    return cursor;
  }

  private countPiece(type: number): void {
    if (++this.counts[type] > PIECE_COUNT[type]) {
      throw new RecordCodecError("piece_count", `the stream contains more than the ${PIECE_COUNT[type]} ${TYPE_NAMES[type]}s of a shogi set`);
    }
  }

  private checkAllPiecesCounted(): void {
    for (const type of STREAM_HAND_ORDER) {
      if (this.counts[type] !== PIECE_COUNT[type]) {
        throw new RecordCodecError("piece_count", `the stream accounts for ${this.counts[type]} of the ${PIECE_COUNT[type]} ${TYPE_NAMES[type]}s of a shogi set (board, hands and piece box together)`);
      }
    }
  }
}

function parseCode(code: string): { bits: number; length: number } {
  if (!/^[01]{1,8}$/.test(code)) throw new Error(`invalid Huffman code "${code}"`);
  let bits = 0;
  for (let i = 0; i < code.length; i++) if (code[i] === "1") bits |= 1 << i;
  return { bits, length: code.length };
}

/** Marks every 8-bit window that starts with the code; a clash means the codes are not prefix-free. */
function fillTable(table: Int16Array, bits: number, length: number, value: number, code: string): void {
  for (let rest = 0; rest < 1 << (PEEK_BITS - length); rest++) {
    const window = bits | (rest << length);
    if (table[window] !== INVALID) throw new Error(`Huffman code "${code}" clashes with another code`);
    table[window] = value | (length << LENGTH_SHIFT);
  }
}

function advance(cursor: number, entry: number, name: string): number {
  const next = cursor + (entry >> LENGTH_SHIFT);
  if (next > POSITION_BITS) {
    throw new RecordCodecError("bad_huffman", `the ${name} codes run past the ${POSITION_BITS} bits of the stream`);
  }
  return next;
}

/** Returns the next 8 stream bits from the cursor; bits past the stream read as 0. */
function peekBits(bytes: Uint8Array, offset: number, cursor: number): number {
  const index = cursor >> 3;
  const low = index < POSITION_BYTES ? bytes[offset + index] : 0;
  const high = index + 1 < POSITION_BYTES ? bytes[offset + index + 1] : 0;
  return ((low | (high << 8)) >> (cursor & 7)) & PEEK_MASK;
}

function putBits(out: Uint8Array, offset: number, cursor: number, bits: number, length: number): number {
  for (let i = 0; i < length; i++, cursor++) {
    if ((bits >> i) & 1) out[offset + (cursor >> 3)] |= 1 << (cursor & 7);
  }
  return cursor;
}

function findKings(board: Uint8Array): [number, number] {
  const kings = [NO_KING_SQUARE, NO_KING_SQUARE];
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = board[sq];
    if (pieceType(piece) !== KING) continue;
    const color = pieceColor(piece);
    if (kings[color] !== NO_KING_SQUARE) throw new RecordCodecError("bad_king", `${color === BLACK ? "Black" : "White"} has two kings`);
    kings[color] = sq;
  }
  checkKingSquares(kings[BLACK], kings[WHITE]);
  return [kings[BLACK], kings[WHITE]];
}

function checkKingSquares(blackKing: number, whiteKing: number): void {
  for (const [side, sq] of [["Black", blackKing], ["White", whiteKing]] as const) {
    if (sq === NO_KING_SQUARE) throw new RecordCodecError("bad_king", `${side} has no king`);
    if (sq > NO_KING_SQUARE) throw new RecordCodecError("bad_king", `${side} king square ${sq} is outside 0..80`);
  }
  if (blackKing === whiteKing) throw new RecordCodecError("bad_king", `both kings stand on square ${squareName(blackKing)}`);
}

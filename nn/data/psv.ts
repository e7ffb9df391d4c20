// YaneuraOu's PackedSfenValue: the 40-byte record of `.bin` teacher files.
//
//   offset 0   32 bytes  PackedSfen (packed-sfen.ts)
//   offset 32  int16     score from the side to move's view
//   offset 34  uint16    move as YaneuraOu Move16, equal to the low 16 bits of our moves
//   offset 36  uint16    gamePly
//   offset 38  int8      game_result from the side to move's view: 1 win, 0 draw, -1 loss
//   offset 39  uint8     padding: written as 0, ignored on reading
//
// Integers are little-endian.

import { POSITION_BYTES } from "./huffman.js";
import { RecordCodecError } from "./errors.js";
import { decodePackedSfen, encodePackedSfen } from "./packed-sfen.js";
import { type GameResult, type TeacherRecord, checkBinaryFields, checkMoveShape } from "./record.js";

export const PSV_RECORD_BYTES = 40;
const SCORE_OFFSET = POSITION_BYTES;
const MOVE_OFFSET = 34;
const PLY_OFFSET = 36;
const RESULT_OFFSET = 38;
const PADDING_OFFSET = 39;

/** Writes a record as 40 PackedSfenValue bytes at out[offset]; throws RecordCodecError. */
export function encodePsv(record: TeacherRecord, out: Uint8Array, offset: number): void {
  checkBinaryFields(record);
  const move = checkMoveShape(record.move);
  encodePackedSfen(record.setup, out, offset);
  writeUint16(out, offset + SCORE_OFFSET, record.score);
  writeUint16(out, offset + MOVE_OFFSET, move);
  writeUint16(out, offset + PLY_OFFSET, record.ply);
  out[offset + RESULT_OFFSET] = record.result & 0xff;
  out[offset + PADDING_OFFSET] = 0;
}

/** Reads the 40-byte PackedSfenValue at bytes[offset]; throws RecordCodecError on corrupt bytes. */
export function decodePsv(bytes: Uint8Array, offset: number): TeacherRecord {
  const setup = decodePackedSfen(bytes, offset);
  const score = (readUint16(bytes, offset + SCORE_OFFSET) << 16) >> 16;
  const move = checkMoveShape(readUint16(bytes, offset + MOVE_OFFSET));
  const ply = readUint16(bytes, offset + PLY_OFFSET);
  const result = (bytes[offset + RESULT_OFFSET] << 24) >> 24;
  if (result !== -1 && result !== 0 && result !== 1) {
    throw new RecordCodecError("bad_result", `game_result byte is ${result}, not -1, 0 or 1`);
  }
  setup.moveNumber = ply + 1;
  return { setup, score, move, ply, result: result as GameResult };
}

/** Writes the low 16 bits of a value, little-endian; also stores negative int16 values. */
export function writeUint16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >> 8) & 0xff;
}

export function readUint16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

// YaneuraOu's PackedSfen: the 32-byte position of a PackedSfenValue record, in the current
// layout (hands in pawn, lance, knight, silver, gold, bishop, rook order, then the piece box),
// which is byte-identical to cshogi's to_psfen.
//
// A board code is a type prefix, then the promotion bit (not for gold), then the colour bit
// (1 = White). A hand code drops the first bit of the prefix and writes promotion 0; a piece-box
// code writes promotion 1 and colour 0, except gold, whose box code is the silver prefix with
// both bits set.

import type { Setup } from "../../shogi/sfen.js";
import {
  BISHOP, GOLD, KING, KNIGHT, LANCE, PAWN, ROOK, SILVER, type Color, pieceColor, pieceType, rawType,
} from "../../shogi/types.js";
import { PositionCodec } from "./huffman.js";

const TYPE_PREFIX: Record<number, string> = {
  [PAWN]: "10",
  [LANCE]: "1100",
  [KNIGHT]: "1101",
  [SILVER]: "1110",
  [GOLD]: "11110",
  [BISHOP]: "111110",
  [ROOK]: "111111",
};
const GOLD_BOX_CODE = "11011";

const bit = (flag: boolean | number): string => (flag ? "1" : "0");

const packedSfenCodec = new PositionCodec({
  name: "PackedSfen",
  boardCode(piece: number): string {
    if (piece === 0) return "0";
    const type = pieceType(piece);
    const promotion = rawType(type) === GOLD ? "" : bit(type > KING);
    return TYPE_PREFIX[rawType(type)] + promotion + bit(pieceColor(piece));
  },
  handCode(color: Color, type: number): string {
    return TYPE_PREFIX[type].slice(1) + (type === GOLD ? "" : "0") + bit(color);
  },
  boxCode(type: number): string {
    return type === GOLD ? GOLD_BOX_CODE : `${TYPE_PREFIX[type].slice(1)}10`;
  },
});

/** Writes the 32-byte PackedSfen of a setup at out[offset]; see PositionCodec.encode for errors. */
export function encodePackedSfen(setup: Setup, out: Uint8Array, offset = 0): void {
  packedSfenCodec.encode(setup, out, offset);
}

/** Reads the 32-byte PackedSfen at bytes[offset]; the move number of the result is 1. */
export function decodePackedSfen(bytes: Uint8Array, offset = 0): Setup {
  return packedSfenCodec.decode(bytes, offset);
}

// Apery's HuffmanCodedPos as cshogi writes it: the 32-byte position of a dlshogi hcpe record.
//
// Same stream layout as PackedSfen, other codes. A board code is a type prefix, then the colour
// bit (1 = White), then the promotion bit (not for gold); knight and silver prefixes are swapped
// relative to PackedSfen. Hand and piece-box codes come from a table of their own.

import type { Setup } from "../../shogi/sfen.js";
import {
  BISHOP, GOLD, KING, KNIGHT, LANCE, PAWN, ROOK, SILVER, type Color, pieceColor, pieceType, rawType,
} from "../../shogi/types.js";
import { PositionCodec } from "./huffman.js";

const TYPE_PREFIX: Record<number, string> = {
  [PAWN]: "10",
  [LANCE]: "1100",
  [KNIGHT]: "1110",
  [SILVER]: "1101",
  [GOLD]: "11110",
  [BISHOP]: "111110",
  [ROOK]: "111111",
};

/** Hand and piece-box codes per type: [Black hand, White hand, piece box]. */
const HAND_CODES: Record<number, readonly [string, string, string]> = {
  [PAWN]: ["000", "001", "010"],
  [LANCE]: ["10000", "10001", "10010"],
  [KNIGHT]: ["11000", "11001", "11010"],
  [SILVER]: ["10100", "10101", "10110"],
  [GOLD]: ["11100", "11101", "10111"],
  [BISHOP]: ["1111100", "1111101", "1111000"],
  [ROOK]: ["1111110", "1111111", "1111010"],
};
const BOX_COLUMN = 2;

const bit = (flag: boolean | number): string => (flag ? "1" : "0");

const huffmanCodedPosCodec = new PositionCodec({
  name: "HuffmanCodedPos",
  boardCode(piece: number): string {
    if (piece === 0) return "0";
    const type = pieceType(piece);
    const promotion = rawType(type) === GOLD ? "" : bit(type > KING);
    return TYPE_PREFIX[rawType(type)] + bit(pieceColor(piece)) + promotion;
  },
  handCode(color: Color, type: number): string {
    return HAND_CODES[type][color];
  },
  boxCode(type: number): string {
    return HAND_CODES[type][BOX_COLUMN];
  },
});

/** Writes the 32-byte HuffmanCodedPos of a setup at out[offset]; see PositionCodec.encode for errors. */
export function encodeHuffmanCodedPos(setup: Setup, out: Uint8Array, offset = 0): void {
  huffmanCodedPosCodec.encode(setup, out, offset);
}

/** Reads the 32-byte HuffmanCodedPos at bytes[offset]; the move number of the result is 1. */
export function decodeHuffmanCodedPos(bytes: Uint8Array, offset = 0): Setup {
  return huffmanCodedPosCodec.decode(bytes, offset);
}

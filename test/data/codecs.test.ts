import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RecordCodecError } from "../../nn/data/errors.js";
import { decodeHcpe, encodeHcpe, fromAperyMove16, toAperyMove16, HCPE_RECORD_BYTES } from "../../nn/data/hcpe.js";
import { decodeHuffmanCodedPos, encodeHuffmanCodedPos } from "../../nn/data/huffman-coded-pos.js";
import { decodePackedSfen, encodePackedSfen } from "../../nn/data/packed-sfen.js";
import { decodePsv, encodePsv, PSV_RECORD_BYTES } from "../../nn/data/psv.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { makeTextRecord, parseTextRecord } from "../../nn/data/text.js";
import { makeSfen, parseSfen, START_SFEN } from "../../shogi/sfen.js";
import { BLACK, PAWN, PROMOTED, ROOK, WHITE, pieceType, rawType } from "../../shogi/types.js";
import { parseUsiMoveText } from "../../shogi/usi-move.js";
import { hasSharedData, readTsv, sharedPath } from "../helpers/shared-data.js";
import { generateRecords, TWO_PIECE_HANDICAP } from "./generate.js";

const VECTOR_TSV = "yaneurao__YaneuraOu/extracted/packed_sfen_vectors.tsv";
const VECTOR_BIN = "yaneurao__YaneuraOu/extracted/packed_sfen_vectors.bin";
const MATSURI = "l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w GR5pnsg 1";
/** Black has every non-king piece in hand: the hand codes start right after 94 header and board bits. */
const ALL_IN_BLACK_HAND = "4k4/9/9/9/9/9/9/9/4K4 b 2R2B4G4S4N4L18P 1";
const FIRST_HAND_CODE_BIT = 15 + 79;

/** Rooks and dragons on the board and rooks in both hands; fewer than 2 means a piece-box rook. */
function rookCount(record: TeacherRecord): number {
  const onBoard = record.setup.board.filter((piece) => rawType(pieceType(piece)) === ROOK).length;
  return onBoard + record.setup.hands[BLACK * 8 + ROOK] + record.setup.hands[WHITE * 8 + ROOK];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const canonical = (sfen: string): string => makeSfen(parseSfen(sfen));

function packedSfen(sfen: string): string {
  const out = new Uint8Array(32);
  encodePackedSfen(parseSfen(sfen), out);
  return hex(out);
}

function huffmanCodedPos(sfen: string): string {
  const out = new Uint8Array(32);
  encodeHuffmanCodedPos(parseSfen(sfen), out);
  return hex(out);
}

function codecErrorCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordCodecError) return error.code;
    throw error;
  }
  return "no error";
}

describe.skipIf(!hasSharedData)("PackedSfen vectors from YaneuraOu's unit test", () => {
  const rows = hasSharedData ? readTsv(VECTOR_TSV) : [];

  it("has the four vectors", () => {
    expect(rows.length).toBe(4);
  });

  for (const [sfen, expected] of rows) {
    it(`encodes ${sfen}`, () => {
      expect(packedSfen(sfen)).toBe(expected);
    });

    it(`decodes ${sfen}`, () => {
      expect(makeSfen(decodePackedSfen(Buffer.from(expected, "hex")))).toBe(canonical(sfen));
    });
  }

  it("decodes the concatenated .bin", () => {
    const bytes = readFileSync(sharedPath(VECTOR_BIN));
    expect(bytes.length).toBe(rows.length * 32);
    rows.forEach(([sfen], i) => {
      const setup = decodePackedSfen(bytes, i * 32);
      expect(makeSfen(setup)).toBe(canonical(sfen));
      const again = new Uint8Array(32);
      encodePackedSfen(setup, again);
      expect(hex(again)).toBe(hex(bytes.subarray(i * 32, i * 32 + 32)));
    });
  });
});

describe("HuffmanCodedPos and PackedSfen vectors", () => {
  // Published by cshogi's C++ tests (to_hcp of this position).
  const cshogiHcp = Buffer.from([
    89, 164, 73, 33, 12, 151, 66, 252, 28, 155, 66, 88, 94, 133, 240, 40, 132, 87, 33, 60, 155, 66, 88, 46, 133,
    248, 56, 38, 133, 48, 60, 94,
  ]).toString("hex");

  it("encodes cshogi's published HuffmanCodedPos", () => {
    expect(huffmanCodedPos(TWO_PIECE_HANDICAP)).toBe(cshogiHcp);
    expect(makeSfen(decodeHuffmanCodedPos(Buffer.from(cshogiHcp, "hex")))).toBe(canonical(TWO_PIECE_HANDICAP));
  });

  // Computed by an independent implementation of the same code tables, not published.
  const derived = [
    {
      sfen: START_SFEN,
      psfen: "58a451220ceb67227e9653221caf447824c22b119e53221ceb6f223e9651220c",
      hcp: "58a449210cd757217e8e4d212caf427814c2ab109e4d212cd75f213e8e49210c",
    },
    {
      sfen: "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2",
      psfen: "59a451220ceb67227e9653221caf447824c22b119e53121ceb6f223e9651220c",
      hcp: "59a449210cd757217e8e4d212caf427814c2ab109e4d112cd75f213e8e49210c",
    },
    {
      sfen: MATSURI,
      psfen: "2381510a86f515e900473c3ed5010020c52758530004cb48123fc3f99024ebbc",
      hcp: "2381490986eb1565014b3cbee40200a0c417b84a0004c744113fc3f9912467bd",
    },
  ];

  for (const { sfen, psfen, hcp } of derived) {
    it(`round-trips ${sfen}`, () => {
      expect(packedSfen(sfen)).toBe(psfen);
      expect(huffmanCodedPos(sfen)).toBe(hcp);
      expect(makeSfen(decodePackedSfen(Buffer.from(psfen, "hex")))).toBe(canonical(sfen).replace(/ \d+$/, " 1"));
      expect(makeSfen(decodeHuffmanCodedPos(Buffer.from(hcp, "hex")))).toBe(canonical(sfen).replace(/ \d+$/, " 1"));
    });
  }

  it("encodes a whole PackedSfenValue record", () => {
    const out = new Uint8Array(PSV_RECORD_BYTES);
    encodePsv({ setup: parseSfen(START_SFEN), score: 50, move: parseUsiMoveText("7g7f"), ply: 0, result: 1 }, out, 0);
    expect(hex(out)).toBe("58a451220ceb67227e9653221caf447824c22b119e53221ceb6f223e9651220c32003b1e00000100");
  });

  it("encodes a whole hcpe record", () => {
    const out = new Uint8Array(HCPE_RECORD_BYTES);
    encodeHcpe({ setup: parseSfen(START_SFEN), score: 50, move: parseUsiMoveText("7g7f"), ply: 0, result: 1 }, out, 0);
    expect(hex(out)).toBe("58a449210cd757217e8e4d212caf427814c2ab109e4d212cd75f213e8e49210c32003b1e0100");
  });
});

describe("move16 encodings", () => {
  // USI move, YaneuraOu Move16, Apery/cshogi move16.
  const table: Array<[string, number, number]> = [
    ["7g7f", 0x1e3b, 0x1e3b],
    ["3c3d", 0x0a15, 0x0a15],
    ["2g2f", 0x078e, 0x078e],
    ["8h2b+", 0xa30a, 0x630a],
    ["2b8h+", 0x8546, 0x4546],
    ["P*5e", 0x40a8, 0x28a8],
    ["G*5e", 0x43a8, 0x2ba8],
    ["R*5e", 0x4328, 0x2b28],
    ["B*5e", 0x42a8, 0x2aa8],
  ];

  for (const [usi, yaneuraou, apery] of table) {
    it(`converts ${usi}`, () => {
      expect(parseUsiMoveText(usi)).toBe(yaneuraou);
      expect(toAperyMove16(yaneuraou)).toBe(apery);
      expect(fromAperyMove16(apery)).toBe(yaneuraou);
    });
  }
});

describe("record codecs on random play", () => {
  const records = generateRecords(3000, 20240601);

  it("covers hands, promotions and the piece box", () => {
    const withHands = records.filter((r) => r.setup.hands.some((n) => n > 0)).length;
    const withPromoted = records.filter((r) => r.setup.board.some((p) => pieceType(p) > PROMOTED)).length;
    const handicap = records.filter((r) => rookCount(r) < 2).length;
    expect(withHands).toBeGreaterThan(1000);
    expect(withPromoted).toBeGreaterThan(300);
    expect(handicap).toBeGreaterThan(100);
  });

  const expectSame = (actual: TeacherRecord, expected: TeacherRecord, ply: number): void => {
    expect(makeSfen(actual.setup)).toBe(makeSfen({ ...expected.setup, moveNumber: ply + 1 }));
    expect(actual.score).toBe(expected.score);
    expect(actual.move).toBe(expected.move);
    expect(actual.ply).toBe(ply);
    expect(actual.result).toBe(expected.result);
  };

  it("PackedSfenValue decode(encode(x)) equals x", () => {
    const out = new Uint8Array(PSV_RECORD_BYTES);
    for (const record of records) {
      encodePsv(record, out, 0);
      expectSame(decodePsv(out, 0), record, record.ply);
    }
  });

  it("hcpe decode(encode(x)) equals x except the ply", () => {
    const out = new Uint8Array(HCPE_RECORD_BYTES);
    for (const record of records) {
      encodeHcpe(record, out, 0);
      expectSame(decodeHcpe(out, 0), record, 0);
    }
  });

  it("text parse(make(x)) equals x", () => {
    for (const record of records) expectSame(parseTextRecord(makeTextRecord(record)), record, record.ply);
  });
});

describe("codec errors", () => {
  it("rejects a hand code that no piece has", () => {
    const bytes = new Uint8Array(32);
    encodePackedSfen(parseSfen(ALL_IN_BLACK_HAND), bytes);
    expect(makeSfen(decodePackedSfen(bytes))).toBe(canonical(ALL_IN_BLACK_HAND));
    // Turn the first Black hand pawn "000" into "011", which is neither a hand nor a piece-box code.
    for (const bit of [FIRST_HAND_CODE_BIT + 1, FIRST_HAND_CODE_BIT + 2]) bytes[bit >> 3] |= 1 << (bit & 7);
    expect(codecErrorCode(() => decodePackedSfen(bytes))).toBe("bad_huffman");
    const hcp = new Uint8Array(32);
    encodeHuffmanCodedPos(parseSfen(ALL_IN_BLACK_HAND), hcp);
    for (const bit of [FIRST_HAND_CODE_BIT + 1, FIRST_HAND_CODE_BIT + 2]) hcp[bit >> 3] |= 1 << (bit & 7);
    expect(codecErrorCode(() => decodeHuffmanCodedPos(hcp))).toBe("bad_huffman");
  });

  it("rejects more pieces than a set has", () => {
    const bytes = new Uint8Array(32);
    encodePackedSfen(parseSfen(START_SFEN), bytes);
    bytes.fill(0xff, 2); // every board code becomes a White dragon
    expect(codecErrorCode(() => decodePackedSfen(bytes))).toBe("piece_count");
    const nineteenPawns = parseSfen("4k4/9/9/9/9/9/9/9/4K4 b 18P 1");
    nineteenPawns.hands[BLACK * 8 + PAWN]++;
    expect(codecErrorCode(() => encodePackedSfen(nineteenPawns, new Uint8Array(32)))).toBe("piece_count");
    expect(codecErrorCode(() => encodeHuffmanCodedPos(nineteenPawns, new Uint8Array(32)))).toBe("piece_count");
  });

  it("rejects missing and clashing kings", () => {
    const bytes = new Uint8Array(32);
    encodePackedSfen(parseSfen(START_SFEN), bytes);
    const noBlackKing = bytes.slice();
    noBlackKing[0] = (noBlackKing[0] & 1) | (81 << 1);
    expect(codecErrorCode(() => decodePackedSfen(noBlackKing))).toBe("bad_king");
    expect(codecErrorCode(() => decodePackedSfen(new Uint8Array(32)))).toBe("bad_king");
    expect(codecErrorCode(() => encodePackedSfen(parseSfen("9/9/9/9/9/9/9/9/4K4 b - 1"), new Uint8Array(32)))).toBe("bad_king");
  });

  it("rejects fields that do not fit", () => {
    const record = generateRecords(1, 7)[0];
    const out = new Uint8Array(PSV_RECORD_BYTES);
    expect(codecErrorCode(() => encodePsv({ ...record, score: 32768 }, out, 0))).toBe("bad_field");
    expect(codecErrorCode(() => encodePsv({ ...record, ply: -1 }, out, 0))).toBe("bad_field");
    expect(codecErrorCode(() => encodeHcpe({ ...record, result: 2 as never }, out, 0))).toBe("bad_result");
    expect(codecErrorCode(() => encodePsv({ ...record, move: (40 << 7) | 40 }, out, 0))).toBe("bad_move");
  });

  it("rejects bad result bytes", () => {
    const record = generateRecords(1, 7)[0];
    const psv = new Uint8Array(PSV_RECORD_BYTES);
    encodePsv(record, psv, 0);
    psv[38] = 2;
    expect(codecErrorCode(() => decodePsv(psv, 0))).toBe("bad_result");
    const hcpe = new Uint8Array(HCPE_RECORD_BYTES);
    encodeHcpe(record, hcpe, 0);
    hcpe[36] = 3;
    expect(codecErrorCode(() => decodeHcpe(hcpe, 0))).toBe("bad_result");
  });

  it("rejects malformed text lines", () => {
    const line = makeTextRecord(generateRecords(1, 7)[0]);
    expect(codecErrorCode(() => parseTextRecord(line.replace(/\t[^\t]*$/, "")))).toBe("bad_text");
    expect(codecErrorCode(() => parseTextRecord(line.replace(/\t-?\d+$/, "\t2")))).toBe("bad_result");
    expect(codecErrorCode(() => parseTextRecord(`x${line}`))).toBe("bad_text");
    expect(codecErrorCode(() => parseTextRecord(line.replace(/\t(-?\d+)\t/, "\t1.5\t")))).toBe("bad_field");
  });
});

// Malformed records raise RecordError with a stable code, the line and its text.

import { describe, expect, test } from "vitest";
import {
  RecordError,
  makeCsa,
  makeKif,
  parseRecord,
  type GameRecord,
  type RecordErrorCode,
  type RecordFormat,
} from "../../shogi/records/index.js";

const KIF_HEADER = "手合割：平手\n手数----指手---------消費時間--\n";
const CSA_HEADER = "V2.2\nPI\n+\n";
const START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";

function parseError(data: string | Uint8Array, format?: RecordFormat): RecordError {
  try {
    parseRecord(data, format, { fileName: "games/broken.rec" });
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
  throw new Error("expected a RecordError");
}

interface Case {
  name: string;
  data: string | Uint8Array;
  format?: RecordFormat;
  code: RecordErrorCode;
  line?: number;
  text?: string;
}

const CASES: readonly Case[] = [
  {
    name: "KIF truncated move",
    data: `${KIF_HEADER}   1 ７六歩(77)\n   2 ３四\n`,
    code: "invalid_line",
    line: 4,
    text: "2 ３四",
  },
  {
    name: "KIF unknown piece",
    data: `${KIF_HEADER}   1 ７六象(77)\n`,
    code: "unknown_piece",
    line: 3,
    text: "1 ７六象(77)",
  },
  {
    name: "KIF piece name differs from the board",
    data: `${KIF_HEADER}   1 ７六銀(77)\n`,
    code: "piece_mismatch",
    line: 3,
  },
  {
    name: "KIF bishop jumping over a pawn",
    data: `${KIF_HEADER}   1 ５五角(88)\n   2 ３四歩(33)\n`,
    code: "illegal_move",
    line: 3,
    text: "1 ５五角(88)",
  },
  {
    name: "KIF move from an empty square",
    data: `${KIF_HEADER}   1 ７六歩(77)\n   2 ３四歩(33)\n   3 ７五歩(77)\n`,
    code: "illegal_move",
    line: 5,
  },
  {
    name: "KIF move number gap",
    data: `${KIF_HEADER}   1 ７六歩(77)\n   3 ２六歩(27)\n`,
    code: "move_number",
    line: 4,
  },
  {
    name: "KIF unknown terminal word",
    data: `${KIF_HEADER}   1 ７六歩(77)\n   2 降参\n`,
    code: "unknown_ending",
    line: 4,
  },
  {
    name: "KIF illegal move before the ending",
    data: `${KIF_HEADER}   1 ５五角(88)\n   2 ３四歩(33)\n   3 投了\n`,
    code: "illegal_move",
    line: 3,
  },
  {
    name: "KIF unknown hand piece",
    data: "手合割：平手\n先手の持駒：象\n手数----指手---------消費時間--\n",
    format: "kif",
    code: "unknown_piece",
    line: 2,
  },
  {
    name: "KIF damaged board row",
    data: `後手の持駒：なし\n| ・ ・ ・ ・v玉 ・ ・ ・ ・|一\n| ・ ・ ・ x ・ ・ ・ ・ ・|二\n`,
    format: "kif",
    code: "invalid_line",
    line: 3,
  },
  {
    name: "KIF unknown handicap without a diagram",
    data: `手合割：三十枚落ち\n${KIF_HEADER.split("\n")[1]}\n   1 ７六歩(77)\n`,
    code: "unknown_handicap",
    line: 1,
  },
  {
    name: "KI2 truncated move",
    data: "手合割：平手\n▲７六歩 △３四\n",
    format: "ki2",
    code: "illegal_move",
    line: 2,
  },
  {
    name: "KI2 unknown summary",
    data: "手合割：平手\n▲７六歩 △３四歩\nまで2手で雨天順延\n",
    format: "ki2",
    code: "unknown_ending",
    line: 3,
  },
  {
    name: "CSA truncated move",
    data: `${CSA_HEADER}+7776FU\n-3334F\n`,
    code: "invalid_line",
    line: 5,
    text: "-3334F",
  },
  {
    name: "CSA unknown piece",
    data: `${CSA_HEADER}+7776XX\n`,
    code: "unknown_piece",
    line: 4,
  },
  {
    name: "CSA illegal move",
    data: `${CSA_HEADER}+8855KA\n-3334FU\n`,
    code: "illegal_move",
    line: 4,
    text: "+8855KA",
  },
  {
    name: "CSA move of the wrong side",
    data: `${CSA_HEADER}-3334FU\n`,
    code: "illegal_move",
    line: 4,
  },
  {
    name: "CSA damaged board row",
    data: "V2.2\nP1-KY-KE-GI-KI-OU-KI-GI-KE-K\n+\n",
    code: "invalid_line",
    line: 2,
  },
  {
    name: "CSA unknown ending",
    data: `${CSA_HEADER}+7776FU\n%MATTA\n`,
    code: "unknown_ending",
    line: 5,
  },
  {
    name: "CSA without side to move",
    data: "V2.2\nPI\n",
    format: "csa",
    code: "missing_start_position",
  },
  {
    name: "empty text",
    data: "",
    code: "unsupported_format",
  },
  {
    name: "JKF text",
    data: '{"header": {}, "moves": [{}]}',
    code: "unsupported_format",
  },
  {
    name: "garbage bytes",
    data: new Uint8Array([...new TextEncoder().encode(CSA_HEADER), 0x2b, 0xff, 0xfe, 0x0a]),
    code: "invalid_encoding",
    line: 4,
  },
];

describe("parseRecord rejects malformed records", () => {
  test.each(CASES.map((entry) => [entry.name, entry] as const))("%s", (_name, entry) => {
    const error = parseError(entry.data, entry.format);
    expect(error.code).toBe(entry.code);
    expect(error.line).toBe(entry.line);
    if (entry.text !== undefined) expect(error.text).toContain(entry.text);
    const location = entry.line === undefined ? "games/broken.rec: " : `games/broken.rec:${entry.line}: `;
    expect(error.message.startsWith(location)).toBe(true);
    expect(error.message).toContain(error.hint);
  });
});

function writeError(action: () => unknown): RecordError {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
  throw new Error("expected a RecordError");
}

function game(overrides: Partial<GameRecord>): GameRecord {
  return { initialSfen: START, moves: [], result: "unknown", termination: "unknown", headers: {}, ...overrides };
}

describe("writers reject invalid records", () => {
  test("illegal move in the middle", () => {
    const error = writeError(() => makeKif(game({ moves: ["8h5e", "3c3d"] }), { encoding: "utf-8" }));
    expect(error.code).toBe("illegal_move");
    expect(error.message).toContain("Move 1");
  });

  test("illegal last move without a foul ending", () => {
    const error = writeError(() => makeCsa(game({ moves: ["7g7f", "3c3d", "5i5g"] }), { version: "2.2" }));
    expect(error.code).toBe("illegal_move");
  });

  test("move that is not USI", () => {
    expect(writeError(() => makeKif(game({ moves: ["7g7"] }), { encoding: "utf-8" })).code).toBe("invalid_record");
  });

  test("invalid SFEN", () => {
    expect(writeError(() => makeCsa(game({ initialSfen: "9/9 b - 1" }), { version: "3.0" })).code).toBe("invalid_record");
  });

  test("resignation won by the side to move", () => {
    const error = writeError(() => makeKif(game({ moves: ["7g7f"], termination: "resign", result: "white_win" }), { encoding: "utf-8" }));
    expect(error.code).toBe("inconsistent_result");
  });

  test("draw with a winner", () => {
    const error = writeError(() => makeCsa(game({ termination: "repetition", result: "white_win" }), { version: "2.2" }));
    expect(error.code).toBe("inconsistent_result");
  });

  test("result without a termination", () => {
    const error = writeError(() => makeCsa(game({ result: "black_win" }), { version: "2.2" }));
    expect(error.code).toBe("inconsistent_result");
  });

  test("try rule in CSA", () => {
    const error = writeError(() => makeCsa(game({ termination: "try", result: "black_win" }), { version: "3.0" }));
    expect(error.code).toBe("unrepresentable_ending");
  });

  test("emoji in a Shift_JIS KIF", () => {
    const error = writeError(() => makeKif(game({ headers: { blackName: "🐟" } }), { encoding: "shift_jis" }));
    expect(error.code).toBe("unencodable_text");
    expect(error.text).toContain("🐟");
  });
});

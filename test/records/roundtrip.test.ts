// Round trips: record -> KIF (UTF-8, Shift_JIS) -> record and record -> CSA (2.2, 3.0) -> record
// keep the moves, start position, result and termination.

import { describe, expect, test } from "vitest";
import {
  makeCsa,
  makeKif,
  parseRecord,
  readRecordFile,
  type GameRecord,
  type Termination,
} from "../../shogi/records/index.js";
import { SKIP_REASON, listRecordFiles, sharedDataMissing } from "./shared-data.js";

if (sharedDataMissing) console.log(SKIP_REASON);

type Writer = "kif-utf-8" | "kif-shift_jis" | "csa-2.2" | "csa-3.0";
const WRITERS: readonly Writer[] = ["kif-utf-8", "kif-shift_jis", "csa-2.2", "csa-3.0"];

/** Terminations a format has no word for, and what they read back as. */
const WRITTEN_AS: Readonly<Record<"kif" | "csa", Partial<Record<Termination, Termination>>>> = {
  kif: { max_moves: "impasse", draw: "impasse" },
  csa: { adjournment: "abort" },
};

function write(record: GameRecord, writer: Writer): GameRecord {
  switch (writer) {
    case "kif-utf-8":
      return parseRecord(makeKif(record, { encoding: "utf-8" }), "kif");
    case "kif-shift_jis":
      return parseRecord(makeKif(record, { encoding: "shift_jis" }), "kif");
    case "csa-2.2":
      return parseRecord(makeCsa(record, { version: "2.2" }), "csa");
    case "csa-3.0":
      return parseRecord(makeCsa(record, { version: "3.0" }), "csa");
  }
}

function expectSameGame(back: GameRecord, original: GameRecord, writer: Writer): void {
  const family = writer.startsWith("kif") ? "kif" : "csa";
  expect(back.initialSfen).toBe(original.initialSfen);
  expect(back.moves).toEqual(original.moves);
  expect(back.result).toBe(original.result);
  expect(back.termination).toBe(WRITTEN_AS[family][original.termination] ?? original.termination);
}

const START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";
const LANCE_HANDICAP = "lnsgkgsn1/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1";
/** A board-diagram start: kings, a rook and gold in hand, Black to move. */
const DIAGRAM = "4k4/9/4P4/9/9/9/9/9/4K4 b RG2r2b3g4s4n4l17p 1";

function game(overrides: Partial<GameRecord>): GameRecord {
  return { initialSfen: START, moves: [], result: "unknown", termination: "unknown", headers: {}, ...overrides };
}

/** Endings after two moves (Black to move), with the result each implies. */
const ENDING_CASES: readonly GameRecord[] = [
  game({ moves: ["7g7f", "3c3d"], termination: "resign", result: "white_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "time_forfeit", result: "white_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "declaration", result: "black_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "illegal_move", result: "black_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "illegal_move", result: "white_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "repetition", result: "draw" }),
  game({ moves: ["7g7f", "3c3d"], termination: "impasse", result: "draw" }),
  game({ moves: ["7g7f", "3c3d"], termination: "max_moves", result: "draw" }),
  game({ moves: ["7g7f", "3c3d"], termination: "draw", result: "draw" }),
  game({ moves: ["7g7f", "3c3d"], termination: "abort", result: "unknown" }),
  game({ moves: ["7g7f", "3c3d"], termination: "adjournment", result: "unknown" }),
  game({ moves: ["7g7f", "3c3d"], termination: "no_mate", result: "unknown" }),
  game({ moves: ["7g7f", "3c3d"], termination: "unknown", result: "unknown" }),
  game({ initialSfen: DIAGRAM, moves: ["G*5b"], termination: "checkmate", result: "black_win" }),
  game({ initialSfen: LANCE_HANDICAP, moves: ["3c3d", "7g7f"], termination: "resign", result: "black_win" }),
];

/** Endings that only KIF can write. */
const KIF_ONLY_CASES: readonly GameRecord[] = [
  game({ moves: ["7g7f", "3c3d"], termination: "try", result: "black_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "forfeit", result: "black_win" }),
  game({ moves: ["7g7f", "3c3d"], termination: "forfeit", result: "white_win" }),
];

describe("round trips of written records", () => {
  test.each((["kif-utf-8", "kif-shift_jis"] as const).flatMap((writer) => KIF_ONLY_CASES.map((record) => [writer, record.termination, record.result, record] as const)))(
    "%s keeps %s %s",
    (writer, _termination, _result, record) => {
      expectSameGame(write(record, writer), record, writer);
    },
  );

  test.each(WRITERS.flatMap((writer) => ENDING_CASES.map((record) => [writer, record.termination, record.result, record] as const)))(
    "%s keeps %s %s",
    (writer, _termination, _result, record) => {
      expectSameGame(write(record, writer), record, writer);
    },
  );

  test.each(WRITERS)("%s keeps headers and times", (writer) => {
    const record = game({
      moves: ["2g2f", "8c8d", "2f2e"],
      times: [3, 14, 15],
      termination: "resign",
      result: "black_win",
      headers: { blackName: "先手太郎", whiteName: "後手花子", startDatetime: "2024/01/02 10:00:00", title: "Test cup" },
    });
    const back = write(record, writer);
    expect(back.times).toEqual([3, 14, 15]);
    expect(back.headers.blackName).toBe("先手太郎");
    expect(back.headers.whiteName).toBe("後手花子");
    expect(back.headers.startDatetime).toBe("2024/01/02 10:00:00");
  });

  test.each(WRITERS)("%s without times writes none", (writer) => {
    const back = write(game({ moves: ["7g7f"] }), writer);
    expect(back.times).toBeUndefined();
  });

  test("CSA 3.0 keeps fractional seconds", () => {
    const record = game({ moves: ["7g7f", "3c3d"], times: [1.25, 0.5] });
    expect(write(record, "csa-3.0").times).toEqual([1.25, 0.5]);
    expect(write(record, "csa-2.2").times).toEqual([1, 0]);
  });

  test("perpetual check survives KIF and CSA", () => {
    // Black's rook checks from 5h and 4h while White's king steps between 5a and 4a. The position
    // after 9h5h occurs for the fourth time after move 13.
    const cycle = ["5a4a", "5h4h", "4a5a", "4h5h"];
    const record = game({
      initialSfen: "4k4/9/9/9/9/9/9/R8/4K4 b - 1",
      moves: ["9h5h", ...cycle, ...cycle, ...cycle],
      termination: "perpetual_check",
      result: "white_win",
    });
    for (const writer of WRITERS) expectSameGame(write(record, writer), record, writer);
  });

  test("Shift_JIS KIF holds code page 932 bytes", () => {
    const bytes = makeKif(game({ headers: { blackName: "羽生" } }), { encoding: "shift_jis" });
    const senteShiftJis = [0x90, 0xe6, 0x8e, 0xe8]; // 先手
    expect(indexOfBytes(bytes, senteShiftJis)).toBeGreaterThanOrEqual(0);
    expect(indexOfBytes(bytes, [...new TextEncoder().encode("先手")])).toBe(-1);
    expect(new TextDecoder("shift_jis").decode(bytes)).toContain("先手：羽生");
  });
});

function indexOfBytes(haystack: Uint8Array, needle: readonly number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    if (needle.every((byte, offset) => haystack[i + offset] === byte)) return i;
  }
  return -1;
}

describe.skipIf(sharedDataMissing)("round trips of shared record files", () => {
  const files = sharedDataMissing ? [] : listRecordFiles();

  test.each(files.map((file) => [file.id, file.absolutePath] as const))("%s", async (_id, absolutePath) => {
    const original = await readRecordFile(absolutePath).catch(() => undefined);
    if (original === undefined) return; // files that must be rejected are checked in data-files.test.ts
    for (const writer of WRITERS) expectSameGame(write(original, writer), original, writer);
    const viaKif = write(original, "kif-utf-8");
    expect(viaKif.headers).toEqual(original.headers);
    expect(viaKif.times).toEqual(original.times?.map((seconds) => (seconds === undefined ? 0 : Math.floor(seconds))));
  });
});

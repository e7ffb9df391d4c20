// Every KIF, KI2 and CSA file of the shared public collection parses with the ply count and
// ending that the collection's index table states for it.

import { describe, expect, test } from "vitest";
import { RecordError, readRecordFile, type GameRecord, type GameResult } from "../../shogi/records/index.js";
import {
  ENDING_OUTCOMES,
  ENDING_TERMINATIONS,
  SKIP_REASON,
  listRecordFiles,
  sharedDataMissing,
  summaryEnding,
  type DataFile,
} from "./shared-data.js";

if (sharedDataMissing) console.log(SKIP_REASON);

interface Override extends Partial<DataFile> {
  /** Reason the row's values differ from the index table. */
  reason: string;
  /** The RecordError the file must raise instead of parsing. */
  error?: { code: string; line: number };
}

/** Rows whose index values count the file text but do not describe the game. */
const OVERRIDES: Readonly<Record<string, Override>> = {
  "mogproject__mog-core-scala/jvm/src/test/resources/kif/game/012.kif": {
    reason: "122 投了 is followed by 123 中断; the game ended with the resignation, the first ending",
    ending: "投了",
    summary: undefined,
  },
  "mogproject__mog-core-scala/jvm/src/test/resources/ki2/game/004.ki2": {
    reason: "White's moves are marked ▽, which the index's ply count left out (14 ▲ and 13 ▽)",
    plies: 27,
  },
  "mogproject__mog-core-scala/jvm/src/test/resources/kif/game/002.kif": {
    reason: "ply 194 is 81Dojo's ending Time-up, a loss on time, not a move",
    plies: 193,
    ending: "切れ負け",
  },
  "mogproject__mog-core-scala/jvm/src/test/resources/kif/game/014.kif": {
    reason: "the last move is illegal and the comment after it says 反則手にて終局 (ended by an illegal move)",
    ending: "反則勝ち",
  },
  "mogproject__mog-core-scala/jvm/src/test/resources/kif/game/015.kif": {
    reason: "the last move is illegal and the comment after it says 反則手にて終局 (ended by an illegal move)",
    ending: "反則勝ち",
  },
  "tomori-k__ShogiLibSharp/Tests/ShogiLibSharp.Kifu.Tests/kif/4.kifu": {
    reason: "move 1 drops a pawn that Black does not hold and move 2 follows it; the file's comment calls it invalid",
    error: { code: "illegal_move", line: 16 },
  },
};

type CheckedFile = DataFile & Pick<Override, "error">;

const files: CheckedFile[] = sharedDataMissing ? [] : listRecordFiles().map((file) => ({ ...file, ...OVERRIDES[file.id] }));

describe.skipIf(sharedDataMissing)("shared record files", () => {
  test("index lists all record files", () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.filter((file) => file.format === "csa").length).toBeGreaterThan(30);
    expect(files.filter((file) => file.format === "ki2").length).toBeGreaterThan(20);
  });

  test.each(files.filter((file) => file.error === undefined).map((file) => [file.id, file] as const))("%s", async (_id, file) => {
    const record = await readRecordFile(file.absolutePath);
    expect(record.moves).toHaveLength(file.plies);
    expect(expectedTerminations(file)).toContain(record.termination);
    expect(record.result).toBe(expectedResult(file, record));
    expect(record.initialSfen).toMatch(/^\S+ [bw] \S+ 1$/);
  });

  test.each(files.filter((file) => file.error !== undefined).map((file) => [file.id, file] as const))(
    "%s is rejected",
    async (_id, file) => {
      const error = await readRecordFile(file.absolutePath).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).code).toBe(file.error!.code);
      expect((error as RecordError).line).toBe(file.error!.line);
      expect((error as RecordError).message).toContain(file.absolutePath);
    },
  );
});

function expectedTerminations(file: DataFile): readonly string[] {
  if (file.ending !== undefined) return ENDING_TERMINATIONS[file.ending] ?? [`unlisted ending ${file.ending}`];
  if (file.summary !== undefined) return [summaryEnding(file.summary)?.termination ?? `unlisted summary ${file.summary}`];
  return ["unknown"];
}

function expectedResult(file: DataFile, record: GameRecord): GameResult {
  const summary = file.summary === undefined ? undefined : summaryEnding(file.summary);
  if (summary?.result !== undefined) return summary.result;
  let outcome: (typeof ENDING_OUTCOMES)[string] | undefined;
  if (file.ending !== undefined) outcome = ENDING_OUTCOMES[file.ending];
  else if (summary?.termination === "checkmate") outcome = "mover_loses";
  const sideToMove = sideToMoveAfter(record.initialSfen, file.plies);
  switch (outcome) {
    case "mover_wins":
      return sideToMove === "b" ? "black_win" : "white_win";
    case "mover_loses":
      return sideToMove === "b" ? "white_win" : "black_win";
    case "draw":
      return "draw";
    case "by_name":
      return file.ending === "%+ILLEGAL_ACTION" ? "white_win" : "black_win";
    default:
      return "unknown";
  }
}

function sideToMoveAfter(initialSfen: string, plies: number): "b" | "w" {
  const initial = initialSfen.split(" ")[1];
  const flipped = plies % 2 === 1;
  return (initial === "b") !== flipped ? "b" : "w";
}

// 手合割 (handicap) names of KIF and KI2 headers that tsshogi 2.2 does not know.
//
// tsshogi ignores an unknown handicap name and reads the moves from the even start position,
// which gives a wrong record. This module replaces a name listed here with a board diagram that
// tsshogi can read, and rejects other unknown names when the file has no board diagram.

import { Position, Record, exportBOD } from "./tsshogi.js";
import { RecordError } from "./errors.js";

/** Handicap names tsshogi 2.2 maps to a start position itself. */
const TSSHOGI_HANDICAPS: ReadonlySet<string> = new Set([
  "平手",
  "香落ち",
  "右香落ち",
  "角落ち",
  "飛車落ち",
  "飛香落ち",
  "二枚落ち",
  "四枚落ち",
  "六枚落ち",
  "八枚落ち",
  "十枚落ち",
  "その他",
]);

/**
 * Seven-piece handicaps: White gives up rook, bishop, both lances, both knights and one silver.
 * "Left" is White's left hand, the silver on 3a, and "right" is the silver on 7a.
 */
const EXTRA_HANDICAPS: ReadonlyMap<string, string> = new Map([
  ["左七枚落ち", "2sgkg3/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1"],
  ["右七枚落ち", "3gkgs2/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1"],
]);

const HANDICAP_LINE = /^手合割[：:](.*)$/;
const BOARD_LINE = /^\|/;
/** The move-count line that tsshogi's board-diagram export ends with. */
const BOD_MOVE_COUNT_LINE = /^手数＝/;

/**
 * Returns the KIF or KI2 lines with a handicap line that tsshogi does not know replaced by a
 * board diagram. Throws RecordError("unknown_handicap") for an unknown name without a diagram.
 */
export function expandHandicap(lines: readonly string[]): string[] {
  const index = lines.findIndex((line) => HANDICAP_LINE.test(line));
  if (index < 0 || lines.some((line) => BOARD_LINE.test(line))) return [...lines];
  const name = HANDICAP_LINE.exec(lines[index])![1].trim();
  if (TSSHOGI_HANDICAPS.has(name)) return [...lines];
  const sfen = EXTRA_HANDICAPS.get(name);
  if (sfen === undefined) {
    throw new RecordError({
      code: "unknown_handicap",
      problem: `The handicap ${name} is not known and the file has no board diagram`,
      hint: `Add a board diagram of the start position, or use one of: ${[...TSSHOGI_HANDICAPS, ...EXTRA_HANDICAPS.keys()].join(", ")}`,
      line: index + 1,
      text: lines[index],
    });
  }
  return [...lines.slice(0, index), ...boardDiagram(sfen), ...lines.slice(index + 1)];
}

function boardDiagram(sfen: string): string[] {
  const record = new Record(Position.newBySFEN(sfen)!);
  return exportBOD(record)
    .split("\n")
    .filter((line) => line !== "" && !BOD_MOVE_COUNT_LINE.test(line));
}

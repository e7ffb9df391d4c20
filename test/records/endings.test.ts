// Endings as each format defines them: which side a terminal word or statement favours.

import { describe, expect, test } from "vitest";
import { STANDARD_HEADER_KEYS, makeCsa, parseRecord, type GameResult, type Termination } from "../../shogi/records/index.js";
import * as tsshogi from "../../shogi/records/tsshogi.js";

const KIF_HEADER = "手合割：平手\n手数----指手---------消費時間--\n";
const KIF_TWO_MOVES = `${KIF_HEADER}   1 ７六歩(77)   ( 0:01/00:00:01)\n   2 ３四歩(33)   ( 0:02/00:00:02)\n`;
const CSA_TWO_MOVES = "V2.2\nPI\n+\n+7776FU\nT1\n-3334FU\nT2\n";

/** KIF terminal words written at ply 3, when Black is to move. */
const KIF_CASES: readonly [string, Termination, GameResult][] = [
  ["投了", "resign", "white_win"],
  ["詰み", "checkmate", "white_win"],
  ["切れ負け", "time_forfeit", "white_win"],
  ["反則負け", "illegal_move", "white_win"],
  ["反則勝ち", "illegal_move", "black_win"],
  ["入玉勝ち", "declaration", "black_win"],
  ["千日手", "repetition", "draw"],
  ["持将棋", "impasse", "draw"],
  ["中断", "abort", "unknown"],
  ["封じ手", "adjournment", "unknown"],
  ["不詰", "no_mate", "unknown"],
  ["トライ", "try", "black_win"],
  ["不戦勝", "forfeit", "black_win"],
  ["不戦敗", "forfeit", "white_win"],
  ["Time-up", "time_forfeit", "white_win"],
];

/** CSA statements after two moves, when Black is to move. */
const CSA_CASES: readonly [string, Termination, GameResult][] = [
  ["%TORYO", "resign", "white_win"],
  ["%TSUMI", "checkmate", "white_win"],
  ["%TIME_UP", "time_forfeit", "white_win"],
  ["%ILLEGAL_MOVE", "illegal_move", "white_win"],
  // The sign names the side that committed the foul, regardless of the side to move.
  ["%+ILLEGAL_ACTION", "illegal_move", "white_win"],
  ["%-ILLEGAL_ACTION", "illegal_move", "black_win"],
  ["%KACHI", "declaration", "black_win"],
  ["%SENNICHITE", "repetition", "draw"],
  ["%JISHOGI", "impasse", "draw"],
  ["%MAX_MOVES", "max_moves", "draw"],
  ["%HIKIWAKE", "draw", "draw"],
  ["%CHUDAN", "abort", "unknown"],
  ["%ERROR", "abort", "unknown"],
  ["%FUZUMI", "no_mate", "unknown"],
];

describe("KIF terminal words", () => {
  test.each(KIF_CASES)("%s", (word, termination, result) => {
    const record = parseRecord(`${KIF_TWO_MOVES}   3 ${word}\n`, "kif");
    expect(record.moves).toEqual(["7g7f", "3c3d"]);
    expect(record.termination).toBe(termination);
    expect(record.result).toBe(result);
  });

  test("resignation after Black's move is White's", () => {
    const record = parseRecord(`${KIF_HEADER}   1 ７六歩(77)\n   2 投了\n`, "kif");
    expect(record.result).toBe("black_win");
  });

  test("summary line stands in for a missing terminal line", () => {
    const record = parseRecord(`${KIF_TWO_MOVES}まで2手で後手の勝ち\n`, "kif");
    expect(record.termination).toBe("resign");
    expect(record.result).toBe("white_win");
  });

  test("illegal last move without an ending loses", () => {
    const record = parseRecord(`${KIF_TWO_MOVES}   3 ７四歩(76)\n*反則手にて終局\n`, "kif");
    expect(record.moves).toEqual(["7g7f", "3c3d", "7f7d"]);
    expect(record.termination).toBe("illegal_move");
    expect(record.result).toBe("white_win");
  });

  test("summary naming the side of an illegal last move", () => {
    const record = parseRecord(`${KIF_TWO_MOVES}   3 ７四歩(76)\nまで3手で先手の反則負け\n`, "kif");
    expect(record.moves).toHaveLength(3);
    expect(record.termination).toBe("illegal_move");
    expect(record.result).toBe("white_win");
  });

  test("perpetual check ending in 反則勝ち", () => {
    const cycle = "   %d ４一玉(51)\n   %d ４八飛(58)\n   %d ５一玉(41)\n   %d ５八飛(48)\n";
    let ply = 1;
    const body = ["   1 ５八飛(98)\n", cycle, cycle, cycle].join("").replace(/%d/g, () => String((ply += 1)));
    const text = `後手の持駒：なし\n${"| ・ ・ ・ ・v玉 ・ ・ ・ ・|一\n"}${emptyRows(2, 7)}| 飛 ・ ・ ・ ・ ・ ・ ・ ・|八\n| ・ ・ ・ ・ 玉 ・ ・ ・ ・|九\n先手の持駒：なし\n先手番\n手数----指手---------消費時間--\n${body}  14 反則勝ち\n`;
    const record = parseRecord(text, "kif");
    expect(record.moves).toHaveLength(13);
    expect(record.termination).toBe("perpetual_check");
    expect(record.result).toBe("white_win");
  });

  test("times and headers", () => {
    const record = parseRecord(`先手：A\n後手：B\n振り駒：あり\n${KIF_TWO_MOVES}`, "kif");
    expect(record.times).toEqual([1, 2]);
    expect(record.headers).toEqual({ blackName: "A", whiteName: "B", 振り駒: "あり" });
  });
});

function emptyRows(from: number, to: number): string {
  const ranks = "一二三四五六七八九";
  let rows = "";
  for (let rank = from; rank <= to; rank += 1) rows += `|${" ・".repeat(9)}|${ranks[rank - 1]}\n`;
  return rows;
}

describe("KI2 summaries", () => {
  test("winner named by the usual resignation summary", () => {
    const record = parseRecord("手合割：平手\n▲７六歩 △３四歩 ▲２六歩\nまで3手で先手の勝ち\n", "ki2");
    expect(record.termination).toBe("resign");
    expect(record.result).toBe("black_win");
  });

  test("named loser who is not to move", () => {
    const record = parseRecord("手合割：平手\n▲７六歩 △３四歩\nまで2手で後手の反則負け\n", "ki2");
    expect(record.termination).toBe("illegal_move");
    expect(record.result).toBe("black_win");
  });

  test("named winner who is to move", () => {
    const record = parseRecord("手合割：平手\n▲７六歩 △３四歩\nまで2手で先手の勝ち\n", "ki2");
    expect(record.result).toBe("black_win");
    expect(record.termination).toBe("unknown");
  });

  test("handicap that tsshogi lacks", () => {
    const record = parseRecord("手合割：左七枚落ち\n△８二銀 ▲７六歩\nまで2手で中断\n", "ki2");
    expect(record.initialSfen).toBe("2sgkg3/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1");
    expect(record.moves).toEqual(["7a8b", "7g7f"]);
    expect(record.termination).toBe("abort");
  });
});

describe("CSA statements", () => {
  test.each(CSA_CASES)("%s", (statement, termination, result) => {
    const record = parseRecord(`${CSA_TWO_MOVES}${statement}\n`, "csa");
    expect(record.moves).toEqual(["7g7f", "3c3d"]);
    expect(record.times).toEqual([1, 2]);
    expect(record.termination).toBe(termination);
    expect(record.result).toBe(result);
  });

  test("%+ILLEGAL_ACTION with White to move", () => {
    const record = parseRecord("V2.2\nPI\n+\n+7776FU\n%+ILLEGAL_ACTION\n", "csa");
    expect(record.result).toBe("white_win");
  });

  test("statements on one line and comments after them", () => {
    const record = parseRecord("V2.2\nN+A\nPI\n+\n+7776FU,T3,'good\n-3334FU  ,T4\n%TORYO,'* win\n", "csa");
    expect(record.moves).toEqual(["7g7f", "3c3d"]);
    expect(record.times).toEqual([3, 4]);
    expect(record.headers).toEqual({ blackName: "A" });
  });

  test("dates keep the day in CSA output", () => {
    const kif = `開始日時：1999/07/15(木) 19:07:12\n${KIF_TWO_MOVES}`;
    const csa = makeCsa(parseRecord(kif, "kif"), { version: "2.2" });
    expect(csa).toContain("\n$START_TIME:1999/07/15 19:07:12\n");
    expect(parseRecord(csa, "csa").headers.startDatetime).toBe("1999/07/15 19:07:12");
  });
});

describe("tsshogi facade", () => {
  test("declared enum values match the package", () => {
    expect(tsshogi.Color.BLACK).toBe("black");
    expect(tsshogi.SpecialMoveType.RESIGN).toBe("resign");
    expect(tsshogi.SpecialMoveType.FOUL_WIN).toBe("foulWin");
    expect(tsshogi.RecordFormatType.KIF).not.toBe(tsshogi.RecordFormatType.CSA);
  });

  test("standard header keys are tsshogi metadata keys", () => {
    for (const key of STANDARD_HEADER_KEYS) {
      const record = new tsshogi.Record();
      record.metadata.setStandardMetadata(key, "x");
      const back = tsshogi.importKIF(tsshogi.exportKIF(record));
      expect(back instanceof Error ? undefined : back.metadata.getStandardMetadata(key), key).toBe("x");
    }
  });
});

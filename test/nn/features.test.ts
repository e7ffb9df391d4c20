import { describe, expect, it } from "vitest";
import {
  BONA_PIECE_NB, MAX_ACTIVE, MAX_CHANGED, createFeatureChanges, featureSet, type FeatureSet,
} from "../../nn/features.js";
import { Position } from "../../shogi/position.js";
import { BLACK, WHITE, type Color } from "../../shogi/types.js";
import { randomGames } from "./helpers.js";

const HALFKP = featureSet("halfkp");
const P = featureSet("p");

function sortedFeatures(set: FeatureSet, pos: Position, perspective: Color): number[] {
  const out = new Int32Array(set.maxActive);
  const count = set.activeFeatures(pos, perspective, out);
  expect(count).toBe(MAX_ACTIVE);
  return Array.from(out).sort((a, b) => a - b);
}

/** King block of a HalfKP perspective: oriented king square * 1548. */
function kingBase(square: number, perspective: Color): number {
  return (perspective === BLACK ? square : 80 - square) * BONA_PIECE_NB;
}

describe("HalfKP indices", () => {
  const start = Position.startpos();
  const king5i = 44;

  it("has 125,388 features and 38 active per perspective", () => {
    expect(HALFKP.dimensions).toBe(125_388);
    expect(sortedFeatures(HALFKP, start, BLACK)).toHaveLength(38);
    expect(sortedFeatures(HALFKP, start, WHITE)).toHaveLength(38);
  });

  it("lists the start position as YaneuraOu numbers it", () => {
    const black = sortedFeatures(HALFKP, start, BLACK);
    expect(black[0], "own pawn on 1g: 44 * 1548 + 90 + 6").toBe(68_208);
    expect(black[1], "own pawn on 2g").toBe(68_217);
    expect(black, "own bishop on 8h: 900 + 70").toContain(kingBase(king5i, BLACK) + 970);
    expect(black, "own rook on 2h: 1224 + 16").toContain(kingBase(king5i, BLACK) + 1240);
    expect(black, "enemy rook on 8b: 1305 + 64").toContain(kingBase(king5i, BLACK) + 1369);
    expect(black, "enemy lance on 1a: 333 + 0").toContain(kingBase(king5i, BLACK) + 333);
    expect(black.every((f) => f >= 68_112 && f < 68_112 + BONA_PIECE_NB), "all in the 5i king block").toBe(true);
  });

  it("gives both perspectives the same list in the symmetric start position", () => {
    expect(sortedFeatures(HALFKP, start, WHITE)).toEqual(sortedFeatures(HALFKP, start, BLACK));
  });

  it("numbers hand pieces per copy, own hand first", () => {
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 b 2Pr 1");
    const blackBase = kingBase(44, BLACK);
    const black = sortedFeatures(HALFKP, pos, BLACK);
    expect(black.slice(35), "own pawns 1 and 2, enemy rook 88").toEqual([blackBase + 1, blackBase + 2, blackBase + 88]);
    const whiteBase = kingBase(4 * 9, WHITE);
    const white = sortedFeatures(HALFKP, pos, WHITE);
    expect(white.slice(35), "own rook 85, enemy pawns 20 and 21").toEqual([whiteBase + 20, whiteBase + 21, whiteBase + 85]);
    expect(black.filter((f) => f === blackBase), "35 absent pieces as BonaPiece 0").toHaveLength(35);
  });

  it("rotates the board for White", () => {
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/3GK4 w - 1");
    const gold6i = 5 * 9 + 8;
    expect(sortedFeatures(HALFKP, pos, WHITE)).toContain(kingBase(36, WHITE) + 819 + (80 - gold6i));
    expect(sortedFeatures(HALFKP, pos, BLACK)).toContain(kingBase(44, BLACK) + 738 + gold6i);
  });

  it("counts promoted minors as gold", () => {
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/+P+L+N+SK4 b - 1");
    const base = kingBase(44, BLACK);
    const files = [9, 8, 7, 6].map((file) => (file - 1) * 9 + 8);
    for (const sq of files) expect(sortedFeatures(HALFKP, pos, BLACK)).toContain(base + 738 + sq);
  });

  it("pads a handicap position with BonaPiece 0", () => {
    const lanceOff = Position.fromSfen("lnsgkgsn1/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1");
    const white = sortedFeatures(HALFKP, lanceOff, WHITE);
    expect(white.filter((f) => f === kingBase(36, WHITE))).toHaveLength(1);
  });

  it("rejects a position without the perspective's king", () => {
    const tsume = Position.fromSfen("4k4/9/9/9/9/9/9/9/9 b G 1");
    expect(() => HALFKP.activeFeatures(tsume, BLACK, new Int32Array(MAX_ACTIVE))).toThrow(/Black king is missing/);
  });
});

describe("P feature set", () => {
  it("is HalfKP without the king block", () => {
    const pos = Position.fromSfen("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1");
    expect(P.dimensions).toBe(BONA_PIECE_NB);
    for (const perspective of [BLACK, WHITE] as Color[]) {
      const halfkp = sortedFeatures(HALFKP, pos, perspective).map((f) => f % BONA_PIECE_NB);
      expect(sortedFeatures(P, pos, perspective)).toEqual(halfkp);
    }
  });
});

/** Checks that features(before) - removed + added = features(after) for every perspective without refresh. */
function checkMoveChanges(set: FeatureSet, games: ReturnType<typeof randomGames>): number {
  const changes = createFeatureChanges();
  let checked = 0;
  for (const game of games) {
    const pos = Position.startpos();
    for (const move of game.moves) {
      const before = [sortedFeatures(set, pos, BLACK), sortedFeatures(set, pos, WHITE)];
      set.moveChanges(pos, move, changes);
      pos.doMove(move);
      for (const p of [BLACK, WHITE] as Color[]) {
        if (changes.refresh[p]) continue;
        const expected = [...before[p]];
        for (let k = 0; k < changes.removedCount[p]; k++) {
          const at = expected.indexOf(changes.removed[p * MAX_CHANGED + k]);
          expect(at, `removed feature present before ${pos.sfen()}`).toBeGreaterThanOrEqual(0);
          expected.splice(at, 1);
        }
        for (let k = 0; k < changes.addedCount[p]; k++) expected.push(changes.added[p * MAX_CHANGED + k]);
        expect(expected.sort((a, b) => a - b), pos.sfen()).toEqual(sortedFeatures(set, pos, p));
        checked++;
      }
    }
  }
  return checked;
}

describe("move feature changes", () => {
  const games = randomGames(11, 6, 160);

  it("turn HalfKP features before a move into those after it", () => {
    expect(checkMoveChanges(HALFKP, games)).toBeGreaterThan(1000);
  });

  it("turn P features before a move into those after it", () => {
    expect(checkMoveChanges(P, games)).toBeGreaterThan(1000);
  });

  it("request a refresh for the mover's own king only", () => {
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 b - 1");
    const changes = createFeatureChanges();
    const kingUp = (44 - 1) | (44 << 7);
    HALFKP.moveChanges(pos, kingUp, changes);
    expect(Array.from(changes.refresh)).toEqual([1, 0]);
    expect(Array.from(changes.removedCount)).toEqual([0, 0]);
    P.moveChanges(pos, kingUp, changes);
    expect(Array.from(changes.refresh)).toEqual([0, 0]);
  });

  it("rejects an unknown feature set name", () => {
    expect(() => featureSet("halfka")).toThrow(/unknown feature set "halfka"/);
  });
});

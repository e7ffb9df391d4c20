// The teacher driver: profile resolution, score conversion, and restarts of a scripted fake
// engine that crashes or stalls.

import { afterEach, describe, expect, test } from "vitest";
import { SeededRandom } from "../../distill/gensfen-random.js";
import { Teacher, type TeacherRestart } from "../../distill/teacher.js";
import { fitScoreScale, fitScoreScaleByGame } from "../../distill/teacher-calibration.js";
import { TeacherError } from "../../distill/teacher-errors.js";
import { FSF_NATIVE_SCORE_SCALE, resolveTeacher, type TeacherProfile } from "../../distill/teacher-profiles.js";
import { VALUE_MATE, VALUE_MATE_IN_MAX_PLY, toProjectScore } from "../../distill/teacher-score.js";
import { Position } from "../../shogi/position.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { MOVE_NONE } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import type { PositionSpec } from "../../usi/search-result.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

const SHORT_TIMEOUT_MS = 500;
const teachers: Teacher[] = [];

afterEach(async () => {
  await Promise.all(teachers.splice(0).map((teacher) => teacher.kill()));
});

function fakeProfile(...flags: string[]): TeacherProfile {
  return resolveTeacher({ teacher: process.execPath, args: [FAKE_USI_SCRIPT, ...flags] });
}

function makeTeacher(profile: TeacherProfile, restarts: TeacherRestart[] = []): Teacher {
  const teacher = new Teacher({
    profile,
    budget: { kind: "depth", depth: 1 },
    searchTimeoutMs: SHORT_TIMEOUT_MS,
    onRestart: (restart) => restarts.push(restart),
  });
  teachers.push(teacher);
  return teacher;
}

function isLegal(position: PositionSpec, move: string): boolean {
  const board = Position.fromSfen(position.sfen ?? START_SFEN);
  for (const text of position.moves) board.doMove(parseUsiMove(board, text));
  return parseUsiMove(board, move) !== MOVE_NONE;
}

/** Plays `plies` teacher moves from the start position and returns the moves. */
async function playMoves(teacher: Teacher, plies: number): Promise<string[]> {
  const moves: string[] = [];
  for (let ply = 0; ply < plies; ply++) {
    const answer = await teacher.search({ moves });
    if (answer.kind !== "move") throw new Error(`expected a move, got ${JSON.stringify(answer)}`);
    expect(isLegal({ moves }, answer.move)).toBe(true);
    moves.push(answer.move);
  }
  return moves;
}

describe("resolveTeacher", () => {
  test("missing native engines name their package", () => {
    const nothingInstalled = () => false;

    expect(() => resolveTeacher({ teacher: "fsf" }, nothingInstalled)).toThrow(/apt-get install fairy-stockfish/);
    expect(() => resolveTeacher({ teacher: "gpsusi" }, nothingInstalled)).toThrow(/apt-get install gpsshogi/);
    expect(() => resolveTeacher({ teacher: "/no/such/engine" }, nothingInstalled)).toThrow(TeacherError);
  });

  test("fsf-wasm needs no system package", () => {
    const profile = resolveTeacher({ teacher: "fsf-wasm" }, () => false);

    expect(profile.id).toBe("fsf-wasm");
    expect(profile.command.command).toBe(process.execPath);
    expect(profile.plan({ kind: "nodes", nodes: 1000 }).limits).toEqual({ nodes: 1000 });
  });

  test("user options and scale override the profile", () => {
    const profile = resolveTeacher({ teacher: "fsf-native", options: { Hash: 64, Contempt: 10 } }, () => true);

    expect(profile.id).toBe("fsf");
    expect(profile.options).toEqual({ Hash: 64, Threads: 1, Contempt: 10 });
    expect(profile.scoreScale).toBe(FSF_NATIVE_SCORE_SCALE);
    expect(resolveTeacher({ teacher: "fsf", scoreScale: 1.5 }, () => true).scoreScale).toBe(1.5);
  });

  test("gpsusi maps depth to LimitDepth", () => {
    const profile = resolveTeacher({ teacher: "gpsusi" }, () => true);

    expect(profile.options).toMatchObject({ UsiOutputPawnValue: 100, BookDepth: 0 });
    expect(profile.plan({ kind: "depth", depth: 4 })).toEqual({ options: { LimitDepth: 4 }, limits: { btime: 0, wtime: 0, byoyomi: 60_000 } });
    expect(() => profile.plan({ kind: "nodes", nodes: 100 })).toThrow(/depth of 4\.\.10/);
    expect(() => profile.plan({ kind: "depth", depth: 2 })).toThrow(TeacherError);
  });

  test("built-in profiles take no arguments", () => {
    expect(() => resolveTeacher({ teacher: "fsf-wasm", args: ["-x"] })).toThrow(/takes no engine arguments/);
  });
});

describe("toProjectScore", () => {
  test("scales and clamps centipawns", () => {
    expect(toProjectScore({ kind: "cp", value: 100 }, 2)).toBe(200);
    expect(toProjectScore({ kind: "cp", value: -33 }, 1.5)).toBe(-50);
    expect(toProjectScore({ kind: "cp", value: 100_000 }, 1)).toBeLessThan(VALUE_MATE_IN_MAX_PLY);
  });

  test("maps mate distances to mate scores", () => {
    expect(toProjectScore({ kind: "mate", plies: 3 }, 2)).toBe(VALUE_MATE - 3);
    expect(toProjectScore({ kind: "mate", plies: -4 }, 2)).toBe(-(VALUE_MATE - 4));
    expect(toProjectScore({ kind: "mate", plies: -0 }, 2)).toBe(-VALUE_MATE);
    expect(toProjectScore({ kind: "mate", plies: "+" }, 2)).toBe(VALUE_MATE_IN_MAX_PLY);
    expect(toProjectScore({ kind: "mate", plies: "-" }, 2)).toBe(-VALUE_MATE_IN_MAX_PLY);
    expect(toProjectScore({ kind: "mate", plies: 10_000 }, 2)).toBeGreaterThanOrEqual(VALUE_MATE_IN_MAX_PLY);
  });
});

describe("fitScoreScale", () => {
  /** Games of records whose results follow sigmoid(score / scale), drawn with a fixed seed. */
  function syntheticGames(scale: number, games: number, perGame: number): { score: number; result: -1 | 1 }[][] {
    const random = new SeededRandom(42);
    return Array.from({ length: games }, () =>
      Array.from({ length: perGame }, () => {
        const score = random.below(4001) - 2000;
        const win = random.below(1_000_000) / 1_000_000 < 1 / (1 + Math.exp(-score / scale));
        return { score, result: win ? 1 : -1 };
      }),
    );
  }

  test("recovers a known scale", () => {
    const fit = fitScoreScale(syntheticGames(500, 1, 20_000)[0]);

    expect(fit?.scale).toBeGreaterThan(450);
    expect(fit?.scale).toBeLessThan(550);
    expect(fit?.factor).toBeCloseTo(600 / (fit?.scale ?? 1), 10);
  });

  test("ignores mate scores", () => {
    expect(fitScoreScale([{ score: VALUE_MATE - 1, result: 1 }])).toBeUndefined();
  });

  test("brackets the scale over games", () => {
    const fit = fitScoreScaleByGame(syntheticGames(800, 40, 50));

    expect(fit?.games).toBe(40);
    expect(fit?.interval[0]).toBeLessThanOrEqual(fit?.scale ?? 0);
    expect(fit?.interval[1]).toBeGreaterThanOrEqual(fit?.scale ?? 0);
    expect(fit?.interval[0]).toBeLessThan(800);
    expect(fit?.interval[1]).toBeGreaterThan(800);
  });
});

describe("Teacher", () => {
  test("restarts a crashing engine and goes on", async () => {
    const restarts: TeacherRestart[] = [];
    const teacher = makeTeacher(fakeProfile("--crash-at-go", "4"), restarts);

    const moves = await playMoves(teacher, 10);

    expect(moves).toHaveLength(10);
    // Each process crashes at its 4th go: after gos 1-3 of the first, and then after 2 more each time.
    expect(teacher.restarts).toBe(3);
    expect(restarts.map((restart) => restart.reason)).toEqual(["crash", "crash", "crash"]);
    expect(restarts[0].detail).toMatch(/exit code 3/);
    expect(teacher.searches).toBe(10);
  });

  test("restarts a stalled engine", async () => {
    const restarts: TeacherRestart[] = [];
    const teacher = makeTeacher(fakeProfile("--silent-at-go", "2"), restarts);

    await playMoves(teacher, 2);

    expect(restarts.map((restart) => restart.reason)).toEqual(["stall"]);
  });

  test("gives up after repeated failures", async () => {
    const teacher = makeTeacher(fakeProfile("--crash-at-go", "1"));

    const failure = await teacher.search({ moves: [] }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TeacherError);
    expect((failure as TeacherError).code).toBe("too_many_failures");
    expect((failure as TeacherError).message).toMatch(/startpos/);
  });

  test("proposes several moves with MultiPV", async () => {
    const teacher = makeTeacher(fakeProfile());

    const answer = await teacher.search({ moves: [] }, 3);

    expect(answer.kind).toBe("move");
    if (answer.kind === "move") {
      expect(answer.score).toBe(0);
      expect(answer.candidates.length).toBeGreaterThanOrEqual(1);
    }
  });

  test("kill stops a running search", async () => {
    const teacher = makeTeacher(fakeProfile("--think-ms", "5000"));
    await teacher.start();

    const search = teacher.search({ moves: [] }).catch((error: unknown) => error);
    await teacher.kill();
    const failure = await search;

    expect((failure as TeacherError).code).toBe("stopped");
    expect(teacher.restarts).toBe(0);
  });
});

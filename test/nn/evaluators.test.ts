import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Architecture, makeArchitecture } from "../../nn/architecture.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import { SimdDense } from "../../nn/simd-dense.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { type LoadedModel, decodeModel } from "../../nn/onnx-reader.js";
import { encodeModel } from "../../nn/onnx-writer.js";
import { randomWeights } from "../../nn/weights.js";
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { BLACK, WHITE, type Color } from "../../shogi/types.js";
import { seededRandom } from "../helpers/random.js";
import { type Game, hasLishogiGames, lishogiGames, randomGames, relativeDifference } from "./helpers.js";

const TOLERANCE = 1e-4;
const BATCH = 256;
const STACK_PLIES = 1024;

const ARCHITECTURES: Array<{ label: string; arch: Architecture; seed: number }> = [
  { label: "halfkp_16x2-8-8", arch: makeArchitecture({ featureSet: "halfkp", l1: 16, hidden: [8, 8] }), seed: 1 },
  { label: "p_256x2-32-32", arch: makeArchitecture({ featureSet: "p" }), seed: 2 },
  { label: "p_24x2-12 (one hidden layer)", arch: makeArchitecture({ featureSet: "p", l1: 24, hidden: [12] }), seed: 3 },
  { label: "p_15x2-6 (widths that SIMD does not take)", arch: makeArchitecture({ featureSet: "p", l1: 15, hidden: [6] }), seed: 6 },
];

function loadRandomModel(arch: Architecture, seed: number): LoadedModel {
  const bytes = encodeModel(randomWeights(arch, seed), { provenance: { source: "random test weights" }, metrics: {} });
  return decodeModel(bytes, `random ${seed}`);
}

/** Plays the games with the native evaluator, returning each position's SFEN and native score. */
function nativeScores(native: NativeEvaluator, games: Game[]): { sfens: string[]; scores: number[] } {
  const sfens: string[] = [];
  const scores: number[] = [];
  for (const game of games) {
    const pos = Position.startpos();
    native.reset(pos);
    sfens.push(pos.sfen());
    scores.push(native.evaluate(pos));
    for (const move of game.moves) {
      native.push(pos, move);
      pos.doMove(move);
      sfens.push(pos.sfen());
      scores.push(native.evaluate(pos));
    }
  }
  return { sfens, scores };
}

async function onnxScores(evaluator: OnnxEvaluator, sfens: string[]): Promise<number[]> {
  const scores: number[] = [];
  for (let i = 0; i < sfens.length; i += BATCH) {
    const positions = sfens.slice(i, i + BATCH).map((sfen) => Position.fromSfen(sfen));
    scores.push(...(await evaluator.evaluate(positions)));
  }
  return scores;
}

/** Largest relative difference, and where it occurs. */
function worstDifference(a: number[], b: number[], sfens: string[]): { difference: number; sfen: string } {
  let worst = { difference: 0, sfen: "" };
  a.forEach((value, i) => {
    const difference = relativeDifference(value, b[i]);
    if (difference > worst.difference) worst = { difference, sfen: `${sfens[i]} native ${value} onnx ${b[i]}` };
  });
  return worst;
}

describe.each(ARCHITECTURES)("native evaluator and ONNX Runtime on $label", ({ arch, seed }) => {
  let model: LoadedModel;
  let onnx: OnnxEvaluator;
  let native: NativeEvaluator;

  beforeAll(async () => {
    model = loadRandomModel(arch, seed);
    onnx = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
    native = new NativeEvaluator(model.weights, { maxPly: STACK_PLIES });
  });
  afterAll(async () => onnx.release());

  it("agree on 1,000+ positions of random play", async () => {
    const games = randomGames(100 + seed, 8, 150);
    const { sfens, scores } = nativeScores(native, games);
    expect(sfens.length).toBeGreaterThanOrEqual(1000);
    const onnxResult = await onnxScores(onnx, sfens);
    const worst = worstDifference(scores, onnxResult, sfens);
    expect(worst.difference, worst.sfen).toBeLessThan(TOLERANCE);
    const javascript = nativeScores(new NativeEvaluator(model.weights, { maxPly: STACK_PLIES, simd: false }), games).scores;
    const worstJavascript = worstDifference(javascript, onnxResult, sfens);
    expect(worstJavascript.difference, `dense layers in JavaScript: ${worstJavascript.sfen}`).toBeLessThan(TOLERANCE);
    expect(Math.max(...scores) - Math.min(...scores), "spread of scores in centipawns").toBeGreaterThan(20);
  });

  it.skipIf(!hasLishogiGames)("agree on 1,000+ positions of lishogi games", async () => {
    const { sfens, scores } = nativeScores(native, lishogiGames(20));
    expect(sfens.length).toBeGreaterThanOrEqual(1000);
    const worst = worstDifference(scores, await onnxScores(onnx, sfens), sfens);
    expect(worst.difference, worst.sfen).toBeLessThan(TOLERANCE);
  });
});

describe("incremental accumulators", () => {
  const arch = makeArchitecture({ featureSet: "halfkp", l1: 32, hidden: [8, 8] });
  const weights = randomWeights(arch, 4);

  function maxAccumulatorDifference(incremental: NativeEvaluator, fresh: NativeEvaluator, pos: Position): number {
    const copy = pos.clone();
    fresh.reset(copy);
    let worst = 0;
    for (const perspective of [BLACK, WHITE] as Color[]) {
      const a = incremental.accumulator(pos, perspective);
      const b = fresh.accumulator(copy, perspective);
      for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
    }
    return worst;
  }

  it("equal a fresh refresh over a long do/undo walk", () => {
    const random = seededRandom(99);
    const pos = Position.startpos();
    const incremental = new NativeEvaluator(weights, { maxPly: 200 });
    const fresh = new NativeEvaluator(weights, { maxPly: 1 });
    incremental.reset(pos);
    let depth = 0;
    let worstAccumulator = 0;
    let worstScore = 0;
    for (let step = 0; step < 6000; step++) {
      const moves = legalMoves(pos);
      const undo = depth > 0 && (moves.length === 0 || depth >= 200 || random() < 0.4);
      if (undo) {
        pos.undoMove();
        incremental.pop();
        depth--;
      } else {
        const move = moves[Math.floor(random() * moves.length)];
        incremental.push(pos, move);
        pos.doMove(move);
        depth++;
      }
      // Evaluate only some nodes, so that updates also span several plies lazily.
      if (random() < 0.3) {
        const score = incremental.evaluate(pos);
        worstAccumulator = Math.max(worstAccumulator, maxAccumulatorDifference(incremental, fresh, pos));
        worstScore = Math.max(worstScore, relativeDifference(score, fresh.evaluate(pos.clone())));
      }
    }
    expect(worstAccumulator).toBeLessThan(1e-5);
    expect(worstScore).toBeLessThan(TOLERANCE);
  });

  it("rejects evaluate before reset and pushes past the stack", () => {
    const evaluator = new NativeEvaluator(weights, { maxPly: 1 });
    const pos = Position.startpos();
    expect(() => evaluator.evaluate(pos)).toThrow(/reset\(pos\)/);
    evaluator.reset(pos);
    const [first, second] = legalMoves(pos);
    evaluator.push(pos, first);
    pos.doMove(first);
    expect(() => evaluator.push(pos, second)).toThrow(RangeError);
  });
});

describe("ONNX Runtime devices", () => {
  const model = loadRandomModel(makeArchitecture({ featureSet: "p", l1: 16, hidden: [8] }), 5);
  const positions = randomGames(7, 1, 40).flatMap((game) => {
    const pos = Position.startpos();
    return game.moves.map((move) => {
      pos.doMove(move);
      return pos.clone();
    });
  });

  // NOTE: the GPU branch of this test has never run. The machines it ran on had no GPU and no
  // Vulkan loader, so only the CPU fallback was exercised.
  it.each(["webgpu", "cuda"] as const)("%s runs or falls back to the CPU with a reason", async (device) => {
    const cpu = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
    const requested = await OnnxEvaluator.create(model, { device, intraOpNumThreads: 1 });
    if (requested.device === "cpu") {
      expect(requested.fallbackReason).toMatch(new RegExp(`${device} execution provider could not start`));
    } else {
      expect(requested.device).toBe(device);
      expect(requested.fallbackReason).toBeUndefined();
    }
    const expected = await cpu.evaluate(positions);
    const actual = await requested.evaluate(positions);
    actual.forEach((score, i) => expect(relativeDifference(score, expected[i])).toBeLessThan(1e-3));
    await cpu.release();
    await requested.release();
  });
});

describe("SIMD dense layers", () => {
  it("are available on this runtime for widths divisible by 4", () => {
    const weights = randomWeights(makeArchitecture({ featureSet: "p", l1: 16, hidden: [8] }), 8);
    expect(SimdDense.create(weights.layers)).toBeDefined();
  });

  it("are skipped for a width not divisible by 4", () => {
    const weights = randomWeights(makeArchitecture({ featureSet: "p", l1: 15, hidden: [6] }), 9);
    expect(SimdDense.create(weights.layers)).toBeUndefined();
  });
});

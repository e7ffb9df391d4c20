import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TrainResult, exportModel, readTeacherSidecar, trainModel } from "../../distill/trainer.js";
import { Workspace, forward } from "../../distill/trainer/network.js";
import { featureSet } from "../../nn/features.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { readModelFile } from "../../nn/onnx-reader.js";
import { Position } from "../../shogi/position.js";
import type { Color } from "../../shogi/types.js";
import { relativeDifference, randomGames } from "../nn/helpers.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";

const TOLERANCE = 1e-4;
let data: TestData;
let result: TrainResult;

beforeAll(async () => {
  data = await makeTestData("export", 1500, 300, 51);
  result = await trainModel(tinyOptions(data, { epochs: 2, architecture: { featureSet: "p", l1: 24, hidden: [8, 8] } }));
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

function sha256(file: string): string {
  return `sha256:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
}

/** Positions from random play, several plies apart. */
function positions(count: number): Position[] {
  const list: Position[] = [];
  for (const game of randomGames(5, 8, 60)) {
    const pos = Position.startpos();
    game.moves.forEach((move, ply) => {
      pos.doMove(move);
      if (ply % 7 === 3 && list.length < count) list.push(pos.clone());
    });
  }
  return list;
}

describe("trainer export", () => {
  it("writes a model whose card has the training facts", () => {
    const file = path.join(data.folder, "model.onnx");
    const teacher = { engine: "material test teacher", settings: { depth: 1 } };
    const written = exportModel(file, result, { teacher });
    const { card, weights } = readModelFile(file);

    expect(card.contentHash).toBe(written.contentHash);
    expect(card.architecture).toEqual(result.weights.architecture);
    expect(card.architecture.featureSet).toBe("p");
    expect(card.architecture.outputScale).toBe(600);
    expect(card.provenance.source).toBe("trained");
    expect(card.provenance.teacher).toEqual(teacher);
    expect(card.provenance.dataHashes).toEqual([sha256(data.train)]);
    expect(card.provenance.parentModel).toBeUndefined();
    const training = card.provenance.training as Record<string, unknown>;
    expect(training.optimizer).toBe("adam");
    expect(training.lambda).toBe(1);
    expect(training.batch).toBe(128);
    expect(training.seed).toBe(7);
    expect(training.validationHash).toBe(sha256(data.val));
    expect(training.initialWeights).toBe("random (seed 7)");
    expect(card.metrics.valLoss).toBe(result.best.valLoss);
    expect(card.metrics.trainLoss).toBe(result.best.trainLoss);
    expect(card.metrics.moveAgreement).toBe(result.best.moveAgreement);
    expect(card.metrics.scoreCorrelation).toBe(result.best.scoreCorrelation);
    expect(Array.from(weights.ftWeights)).toEqual(Array.from(result.weights.ftWeights));
  });

  it("takes the teacher from a gensfen progress file", () => {
    const progress = { config: { teacher: { id: "fsf-wasm", name: "Fairy-Stockfish (WebAssembly)", options: {}, scoreScale: 1 }, budget: { kind: "depth", depth: 6 } } };
    writeFileSync(`${data.train}.progress.json`, JSON.stringify(progress));
    const teacher = readTeacherSidecar([data.train]);
    rmSync(`${data.train}.progress.json`);
    expect(teacher?.engine).toBe("Fairy-Stockfish (WebAssembly)");
    expect(teacher?.settings?.budget).toEqual({ kind: "depth", depth: 6 });
    expect(readTeacherSidecar([data.train])).toBeUndefined();
  });

  it("runs in ONNX Runtime as in the trainer", async () => {
    const file = path.join(data.folder, "runtime.onnx");
    exportModel(file, result);
    const evaluator = await OnnxEvaluator.create(file);
    try {
      const list = positions(40);
      const scores = await evaluator.evaluate(list);
      const set = featureSet("p");
      const workspace = new Workspace(result.weights);
      const features = new Int32Array(2 * set.maxActive);
      list.forEach((pos, i) => {
        set.activeFeatures(pos, pos.turn, features, 0);
        set.activeFeatures(pos, (pos.turn ^ 1) as Color, features, set.maxActive);
        const ours = 600 * forward(result.weights, workspace, features, 0, set.maxActive);
        expect(relativeDifference(scores[i], ours), `position ${pos.sfen()}: ONNX ${scores[i]}, trainer ${ours}`).toBeLessThan(TOLERANCE);
      });
    } finally {
      await evaluator.release();
    }
  });
});

import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Workspace, backward, backwardPlan, forward } from "../../distill/trainer/network.js";
import { networkTensorCount } from "../../distill/trainer/parameters.js";
import { initialWeights } from "../../distill/trainer.js";
import { checkLoraOptions, createExtension, loraTargetNames } from "../../finetune/lora.js";
import { runFinetune } from "../../finetune/run.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { openRecordReader } from "../../nn/data/reader.js";
import { featureSet } from "../../nn/features.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { readModelFile } from "../../nn/onnx-reader.js";
import type { NetworkWeights } from "../../nn/weights.js";
import { Position } from "../../shogi/position.js";
import { makeSfen } from "../../shogi/sfen.js";
import { TINY_ARCHITECTURE, type ToyData, makeToyData } from "./helpers.js";

const ARCH = makeArchitecture(TINY_ARCHITECTURE);
/** Largest width of any layer, so a LoRA of this rank can express any update of every layer. */
const FULL_RANK = ARCH.l1;
/**
 * Final fine-tuning losses of full-rank LoRA and full fine-tuning may differ by this much (nats).
 * After 30 epochs both have nearly converged, and the observed differences were below 0.001.
 */
const FULL_RANK_TOLERANCE = 0.003;
/** Merged and unmerged logits may differ by this much (float32 rounding of the merged sums). */
const MERGE_TOLERANCE = 1e-5;
const POSITIONS_COMPARED = 200;

let data: ToyData;

beforeAll(async () => {
  data = await makeToyData("lora");
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

/** Features of a position as the trainer lays them out: the side to move's, then the other side's. */
function trainerFeatures(pos: Position): { features: Int32Array; count: number } {
  const set = featureSet(ARCH.featureSet);
  const features = new Int32Array(2 * set.maxActive);
  set.activeFeatures(pos, pos.turn, features, 0);
  set.activeFeatures(pos, (pos.turn ^ 1) as 0 | 1, features, set.maxActive);
  return { features, count: set.maxActive };
}

async function readPositions(file: string, limit: number): Promise<Position[]> {
  const positions: Position[] = [];
  for await (const record of await openRecordReader(file)) {
    positions.push(Position.fromSfen(makeSfen(record.setup)));
    if (positions.length >= limit) break;
  }
  return positions;
}

function randomValues(shapes: Array<{ rows: number; cols: number }>, seed: number): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  return shapes.map(({ rows, cols }) => Float32Array.from({ length: rows * cols }, () => 0.5 * next()));
}

describe("LoRA adapters", () => {
  it("rejects invalid options", () => {
    expect(() => checkLoraOptions({ rank: 0, alpha: 1 })).toThrow(/rank/);
    expect(() => checkLoraOptions({ rank: 4, alpha: -1 })).toThrow(/alpha/);
    expect(() => checkLoraOptions({ rank: 4, alpha: 4, targets: ["fc7"] }, ARCH)).toThrow(/fc7/);
    expect(loraTargetNames(ARCH)).toEqual(["ft", "fc0", "fc1", "out"]);
  });

  it("gradients match finite differences", async () => {
    const weights = initialWeights(ARCH, 5);
    weights.layers[2].weights.fill(0.3);
    const extension = createExtension({ rank: 3, alpha: 6 });
    const shapes = extension.parameters(ARCH);
    const values = randomValues(shapes, 11);
    const first = networkTensorCount(ARCH);
    const hooks = extension.hooks(values, first, ARCH);
    const [pos] = await readPositions(data.tune, 1);
    const { features, count } = trainerFeatures(pos);
    const ws = new Workspace(weights);
    const grads = [...Array.from({ length: first }, () => null), ...values.map((v) => new Float32Array(v.length))];
    const trainable = [...Array.from({ length: first }, () => false), ...values.map(() => true)];
    forward(weights, ws, features, 0, count, hooks);
    backward(weights, ws, features, 0, count, 1, { grads, markRow: () => undefined }, backwardPlan(ARCH, trainable, hooks), hooks);

    const step = 1e-3;
    let checked = 0;
    values.forEach((tensor, t) => {
      const used = t === 0 ? features.slice(0, 2 * count).map((f) => f * 3) : Int32Array.from({ length: 4 }, (_, i) => i);
      for (const index of [...new Set(used)].filter((i) => i < tensor.length).slice(0, 4)) {
        const saved = tensor[index];
        tensor[index] = saved + step;
        const up = forward(weights, ws, features, 0, count, hooks);
        tensor[index] = saved - step;
        const down = forward(weights, ws, features, 0, count, hooks);
        tensor[index] = saved;
        const numeric = (up - down) / (2 * step);
        expect(grads[first + t]![index], `${shapes[t].name}[${index}]`).toBeCloseTo(numeric, 3);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(20);
  });

  it("full rank matches full fine-tuning", async () => {
    const common = { base: data.base, data: [data.tune], val: data.tuneHeldout, lr: 0.01, epochs: 30, lambda: 1, batch: 64, seed: 3 };
    const full = await runFinetune({ ...common, mode: "full", out: path.join(data.folder, "full.onnx") });
    const lora = await runFinetune({ ...common, mode: "lora", rank: FULL_RANK, alpha: FULL_RANK, out: path.join(data.folder, "lora-full.onnx") });
    const base = full.history[0].trainLoss;
    // Both must have learned well below the first epoch's loss, to the same level.
    expect(full.measurements.finetune.loss).toBeLessThan(base - 0.05);
    expect(Math.abs(lora.measurements.finetune.loss - full.measurements.finetune.loss)).toBeLessThan(FULL_RANK_TOLERANCE);
  });

  it("merged export evaluates like the adapters", async () => {
    const out = path.join(data.folder, "lora-merged.onnx");
    const options = { rank: 4, alpha: 8 };
    const result = await runFinetune({ base: data.base, data: [data.tune], val: data.tuneHeldout, out, mode: "lora", ...options, lr: 0.01, epochs: 3, lambda: 1, batch: 128 });
    expect(result.adapters.length).toBe(2 * loraTargetNames(ARCH).length);
    const base: NetworkWeights = readModelFile(data.base).weights;
    const merged = readModelFile(out);
    const card = merged.card.provenance;
    expect(card.parentModel?.contentHash).toBe(readModelFile(data.base).card.contentHash);
    expect(card.fineTuning?.mode).toBe("lora");

    const hooks = createExtension(options).hooks(result.adapters.map((a) => a.value), networkTensorCount(ARCH), ARCH);
    const positions = await readPositions(data.tuneHeldout, POSITIONS_COMPARED);
    const native = new NativeEvaluator(merged.weights);
    const onnx = await OnnxEvaluator.create(merged);
    const onnxScores = await onnx.evaluate(positions);
    await onnx.release();
    const ws = new Workspace(base);
    let largestChange = 0;
    positions.forEach((pos, i) => {
      const { features, count } = trainerFeatures(pos);
      const adapted = forward(base, ws, features, 0, count, hooks);
      largestChange = Math.max(largestChange, Math.abs(adapted - forward(base, ws, features, 0, count)));
      native.reset(pos);
      expect(Math.abs(native.evaluate(pos) / ARCH.outputScale - adapted), `native, position ${i}`).toBeLessThan(MERGE_TOLERANCE);
      expect(Math.abs(onnxScores[i] / ARCH.outputScale - adapted), `ONNX Runtime, position ${i}`).toBeLessThan(MERGE_TOLERANCE);
    });
    // The adapters must have changed the network, or the comparison proves nothing.
    expect(largestChange).toBeGreaterThan(1e-3);
  });
});

import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrainConfigError, type TrainOptions, TrainingDivergedError, initialWeights, trainModel, validateTrainConfig } from "../../distill/trainer.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";

const BASE: TrainOptions = { data: ["train.bin"], val: "val.bin", architecture: { featureSet: "p", l1: 16, hidden: [8] } };

/** Each bad setting and the field its error must name. */
const BAD_SETTINGS: Array<{ change: Record<string, unknown>; field: string }> = [
  { change: { data: [] }, field: "data" },
  { change: { val: "" }, field: "val" },
  { change: { val: "train.bin" }, field: "val" },
  { change: { architecture: { featureSet: "kpp" } }, field: "architecture.featureSet" },
  { change: { architecture: { featureSet: "p", l1: 0 } }, field: "architecture.l1" },
  { change: { architecture: { featureSet: "p", hidden: [32, -1] } }, field: "architecture.hidden" },
  { change: { lambda: 1.5 }, field: "lambda" },
  { change: { lambda: Number.NaN }, field: "lambda" },
  { change: { optimizer: "rmsprop" }, field: "optimizer" },
  { change: { lr: 0 }, field: "lr" },
  { change: { lr: -1 }, field: "lr" },
  { change: { momentum: 1 }, field: "momentum" },
  { change: { beta2: 1 }, field: "beta2" },
  { change: { schedule: "linear" }, field: "schedule" },
  { change: { lrDecay: 0 }, field: "lrDecay" },
  { change: { batch: 0 }, field: "batch" },
  { change: { batch: 2.5 }, field: "batch" },
  { change: { epochs: 0 }, field: "epochs" },
  { change: { patience: -1 }, field: "patience" },
  { change: { workers: 0 }, field: "workers" },
  { change: { seed: -1 }, field: "seed" },
  { change: { seed: 2 ** 32 }, field: "seed" },
  { change: { shuffleBuffer: 0 }, field: "shuffleBuffer" },
  { change: { freeze: "ft.weight" }, field: "freeze" },
];

describe("trainer config", () => {
  it("fills in defaults", () => {
    const config = validateTrainConfig(BASE);
    expect(config.optimizer).toBe("adam");
    expect(config.lr).toBe(0.001);
    expect(config.lambda).toBe(0.5);
    expect(config.architecture.outputScale).toBe(600);
    expect(validateTrainConfig({ ...BASE, optimizer: "sgd" }).lr).toBe(0.1);
  });

  for (const { change, field } of BAD_SETTINGS) {
    it(`rejects ${JSON.stringify(change)}`, () => {
      let error: unknown;
      try {
        validateTrainConfig({ ...BASE, ...change } as TrainOptions);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TrainConfigError);
      expect((error as TrainConfigError).field).toBe(field);
      expect((error as Error).message).toContain(field.split(".").pop());
    });
  }
});

let data: TestData;

beforeAll(async () => {
  data = await makeTestData("config", 600, 200, 41);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

describe("trainer divergence", () => {
  const arch = makeArchitecture({ featureSet: "p", l1: 16, hidden: [8, 8] });

  it("names the step and the layer of a NaN weight", async () => {
    const weights = initialWeights(arch, 1);
    weights.layers[1].weights[3] = Number.NaN;
    const run = trainModel(tinyOptions(data, { epochs: 1 }), weights);
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(trainModel(tinyOptions(data, { epochs: 1 }), weights)).rejects.toThrow(/step 1 \(epoch 1\) in fc1 \(output before the clip\)/);
  });

  it("names the accumulator for a NaN transformer bias", async () => {
    const weights = initialWeights(arch, 1);
    weights.ftBias[2] = Number.NaN;
    const error = await trainModel(tinyOptions(data, { epochs: 1 }), weights).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as TrainingDivergedError).step).toBe(1);
    expect((error as TrainingDivergedError).layer).toBe("ft (accumulator)");
  });

  it("names the tensor that an update leaves non-finite", async () => {
    // An infinite bias saturates the clip, so the forward pass stays finite; the update then fails.
    const weights = initialWeights(arch, 1);
    weights.ftBias[2] = Number.POSITIVE_INFINITY;
    await expect(trainModel(tinyOptions(data, { epochs: 1 }), weights)).rejects.toThrow(/step 1 \(epoch 1\) in ft\.bias/);
  });

  it("rejects freezing an unknown tensor", async () => {
    await expect(trainModel(tinyOptions(data, { freeze: ["fc9.weight"] }))).rejects.toThrow(/invalid freeze "fc9\.weight"/);
  });
});

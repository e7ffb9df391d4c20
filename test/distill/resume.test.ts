import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrainConfigError, trainModel } from "../../distill/trainer.js";
import { contentHash } from "../../nn/weights.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";

// A run stopped after an epoch (as a killed run would be) and resumed from its checkpoint must end
// with the same bits as an unbroken run: same weights, same optimiser state, same shuffling.
let data: TestData;

beforeAll(async () => {
  data = await makeTestData("resume", 2000, 400, 31);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

async function unbrokenAndResumed(workers: number): Promise<void> {
  const options = (dir: string) => tinyOptions(data, { epochs: 3, patience: 0, workers, checkpointDir: path.join(data.folder, dir) });
  const unbroken = await trainModel(options(`unbroken-${workers}`));

  const stopped = await trainModel(options(`resumed-${workers}`), undefined, { shouldStop: (epoch) => epoch === 1 });
  expect(stopped.finished).toBe(false);
  expect(stopped.epochsCompleted).toBe(1);
  const resumed = await trainModel(options(`resumed-${workers}`));

  expect(resumed.resumed).toBe(true);
  expect(resumed.epochsCompleted).toBe(3);
  expect(contentHash(resumed.weights)).toBe(contentHash(unbroken.weights));
  expect(resumed.history.map((m) => m.valLoss)).toEqual(unbroken.history.map((m) => m.valLoss));
  expect(resumed.history.map((m) => m.trainLoss)).toEqual(unbroken.history.map((m) => m.trainLoss));
}

describe("trainer resume", () => {
  it("gives bit-identical weights inline", async () => {
    await unbrokenAndResumed(1);
  });

  it("gives bit-identical weights with two workers", async () => {
    await unbrokenAndResumed(2);
  });

  it("rerun of a finished run returns its result", async () => {
    const options = tinyOptions(data, { epochs: 1, checkpointDir: path.join(data.folder, "finished") });
    const first = await trainModel(options);
    const again = await trainModel(options);
    expect(again.resumed).toBe(true);
    expect(again.history).toEqual(first.history);
    expect(contentHash(again.weights)).toBe(contentHash(first.weights));
  });

  it("rejects a checkpoint of other settings", async () => {
    const dir = path.join(data.folder, "mismatch");
    await trainModel(tinyOptions(data, { epochs: 1, checkpointDir: dir }), undefined, { shouldStop: () => true });
    const changed = trainModel(tinyOptions(data, { epochs: 1, lr: 0.02, checkpointDir: dir }));
    await expect(changed).rejects.toThrow(TrainConfigError);
    await expect(trainModel(tinyOptions(data, { epochs: 1, lr: 0.02, checkpointDir: dir }))).rejects.toThrow(/lr: 0\.01 in the checkpoint, 0\.02 now/);
  });

  it("gives the same result for the same seed and worker count", async () => {
    const first = await trainModel(tinyOptions(data, { epochs: 1, workers: 2 }));
    const second = await trainModel(tinyOptions(data, { epochs: 1, workers: 2 }));
    expect(contentHash(second.weights)).toBe(contentHash(first.weights));
  });
});

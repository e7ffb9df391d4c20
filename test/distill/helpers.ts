// Shared set-up of the trainer tests: small synthetic data sets in a temporary folder and a tiny
// network that trains in well under a second.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TrainModelOptions } from "../../distill/trainer.js";
import { writeSyntheticData } from "../../distill/trainer/synthetic.js";

export interface TestData {
  folder: string;
  train: string;
  val: string;
}

/** Writes a training and a validation file of synthetic records (material scores, random play). */
export async function makeTestData(label: string, trainRecords: number, valRecords: number, seed = 1): Promise<TestData> {
  const folder = mkdtempSync(path.join(tmpdir(), `shogi-lab-${label}-`));
  const train = path.join(folder, "train.bin");
  const val = path.join(folder, "val.bin");
  await writeSyntheticData(train, { records: trainRecords, seed, maxPlies: 80 });
  await writeSyntheticData(val, { records: valRecords, seed: seed + 1000, maxPlies: 80 });
  return { folder, train, val };
}

/** Options of a tiny "p" network run on the test data. */
export function tinyOptions(data: TestData, overrides: Partial<TrainModelOptions> = {}): TrainModelOptions {
  return {
    data: [data.train],
    val: data.val,
    architecture: { featureSet: "p", l1: 16, hidden: [8, 8] },
    batch: 128,
    epochs: 3,
    lr: 0.01,
    lambda: 1,
    seed: 7,
    shuffleBuffer: 1024,
    chunkRecords: 256,
    ...overrides,
  };
}

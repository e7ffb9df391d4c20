// Shared set-up of the fine-tuning tests: synthetic teacher data (material scores from random play)
// in a temporary folder, and a small "p" base model trained on it and written as ONNX.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportModel, trainModel } from "../../distill/trainer.js";
import { writeSyntheticData } from "../../distill/trainer/synthetic.js";

export const TINY_ARCHITECTURE = { featureSet: "p" as const, l1: 16, hidden: [8, 8] };

export interface ToyData {
  folder: string;
  /** The base's training and validation data. */
  baseTrain: string;
  baseVal: string;
  /** Fine-tuning data and its held-out part (other random games, same labelling). */
  tune: string;
  tuneHeldout: string;
  /** Base model trained on baseTrain with lambda 1. */
  base: string;
}

/** Writes the four data files and trains the base (about a second). */
export async function makeToyData(label: string, records = { base: 2000, tune: 1000, val: 400 }): Promise<ToyData> {
  const folder = mkdtempSync(path.join(tmpdir(), `shogi-lab-finetune-${label}-`));
  const file = (name: string) => path.join(folder, name);
  await writeSyntheticData(file("base-train.bin"), { records: records.base, seed: 1, maxPlies: 80 });
  await writeSyntheticData(file("base-val.bin"), { records: records.val, seed: 2, maxPlies: 80 });
  await writeSyntheticData(file("tune.bin"), { records: records.tune, seed: 3, maxPlies: 80 });
  await writeSyntheticData(file("tune-heldout.bin"), { records: records.val, seed: 4, maxPlies: 80 });
  const trained = await trainModel({
    data: [file("base-train.bin")], val: file("base-val.bin"), architecture: TINY_ARCHITECTURE, batch: 128, epochs: 2, lr: 0.01,
    lambda: 1, seed: 7, shuffleBuffer: 4096, chunkRecords: 256, moveAgreement: false,
  });
  exportModel(file("base.onnx"), trained, { description: "toy base" });
  return {
    folder, baseTrain: file("base-train.bin"), baseVal: file("base-val.bin"), tune: file("tune.bin"),
    tuneHeldout: file("tune-heldout.bin"), base: file("base.onnx"),
  };
}

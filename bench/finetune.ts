// Fine-tuning benchmark: training samples per second of each fine-tuning mode, as a ratio to full
// fine-tuning (the distillation trainer with every tensor trained) measured in the same run, on
// synthetic data (random legal play labelled by material).
//
// Usage: node dist/bench/finetune.js [--records N] [--l1 N] [--hidden 32,32] [--workers N]
//                                     [--ranks 8,32] [--json]

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { exportModel, trainModel } from "../distill/trainer.js";
import { writeSyntheticData } from "../distill/trainer/synthetic.js";
import type { ModeSettings } from "../finetune/modes.js";
import { runFinetune } from "../finetune/run.js";
import { modeTag } from "../finetune/sweep.js";

const USAGE = `Usage: node dist/bench/finetune.js [options]

Trains a "p" base for one epoch on synthetic data, then fine-tunes it for two epochs in each mode
and prints training samples per second (second epoch) and the ratio to full fine-tuning.

  --records N      training records (default 20000)
  --l1 N           transformer width per perspective (default 64)
  --hidden LIST    hidden layer widths (default 16,16)
  --workers N      worker threads (default 1)
  --ranks LIST     LoRA ranks to measure (default 8,32)
  --json           also print the results as one JSON object on the last line
  --help           print this text`;

const VALIDATION_RECORDS = 2000;
const TRAIN_SEED = 21;
const VALIDATION_SEED = 22;
const BATCH = 256;
const EPOCHS = 2;
const EXIT_USAGE = 2;

interface BenchOptions {
  records: number;
  l1: number;
  hidden: number[];
  workers: number;
  ranks: number[];
  json: boolean;
}

interface ModeSpeed {
  mode: string;
  samplesPerSecond: number;
  /** Samples per second divided by full fine-tuning's. */
  ratio: number;
  /** Seconds of the whole run: training, export (with the LoRA merge) and measurements. */
  seconds: number;
}

function positiveIntegers(name: string, text: string): number[] {
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1) throw new Error(`invalid --${name} "${text}": expected positive integers`);
    return value;
  });
}

function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: "string", default: "20000" },
      l1: { type: "string", default: "64" },
      hidden: { type: "string", default: "16,16" },
      workers: { type: "string", default: "1" },
      ranks: { type: "string", default: "8,32" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  return {
    records: positiveIntegers("records", values.records)[0],
    l1: positiveIntegers("l1", values.l1)[0],
    hidden: positiveIntegers("hidden", values.hidden),
    workers: positiveIntegers("workers", values.workers)[0],
    ranks: positiveIntegers("ranks", values.ranks),
    json: values.json,
  };
}

async function measure(options: BenchOptions, folder: string): Promise<ModeSpeed[]> {
  const train = path.join(folder, "train.bin");
  const val = path.join(folder, "val.bin");
  await writeSyntheticData(train, { records: options.records, seed: TRAIN_SEED });
  await writeSyntheticData(val, { records: VALIDATION_RECORDS, seed: VALIDATION_SEED });
  const base = path.join(folder, "base.onnx");
  const trained = await trainModel({
    data: [train], val, architecture: { featureSet: "p", l1: options.l1, hidden: options.hidden }, epochs: 1, batch: BATCH,
    lambda: 1, workers: options.workers, moveAgreement: false,
  });
  exportModel(base, trained);
  const modes: ModeSettings[] = [{ mode: "full" }, { mode: "head" }, ...options.ranks.map((rank): ModeSettings => ({ mode: "lora", rank }))];
  const speeds: ModeSpeed[] = [];
  for (const mode of modes) {
    const result = await runFinetune({
      ...mode, base, data: [train], val, out: path.join(folder, "variant.onnx"), lr: 1e-3, epochs: EPOCHS, lambda: 1, batch: BATCH, workers: options.workers,
    });
    const samplesPerSecond = result.history[EPOCHS - 1].samplesPerSecond;
    speeds.push({ mode: modeTag(mode), samplesPerSecond, ratio: samplesPerSecond / (speeds[0]?.samplesPerSecond ?? samplesPerSecond), seconds: result.seconds });
  }
  return speeds;
}

async function main(): Promise<void> {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const folder = mkdtempSync(path.join(tmpdir(), "shogi-lab-bench-finetune-"));
  try {
    const speeds = await measure(options, folder);
    process.stdout.write(`p_${options.l1}x2-${options.hidden.join("-")}, ${options.records} records, batch ${BATCH}, ${options.workers} worker(s)\n`);
    for (const speed of speeds) {
      process.stdout.write(`${speed.mode.padEnd(14)} ${Math.round(speed.samplesPerSecond).toString().padStart(8)} samples/s  ${speed.ratio.toFixed(2)} x full  (run ${speed.seconds.toFixed(1)} s)\n`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify({ options, speeds })}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();

// Trainer benchmark: training samples per second with 1 and more workers on synthetic data (random
// legal play labelled by material), one epoch each, with the split between the gradient phase and
// the optimiser update. The reference is the same trainer on its JavaScript kernels, measured in the
// same run. Each row prints its speed relative to the reference row with as many workers.
//
// Usage: node dist/bench/train.js [--records N] [--batch N] [--workers 1,2] [--kernels simd,js]
//                                  [--arch halfkp|p] [--l1 N] [--hidden 32,32] [--json]

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isFeatureSetName } from "../nn/features.js";
import { type EpochMetrics, type ProgressEvent, trainModel } from "../distill/trainer.js";
import { writeSyntheticData } from "../distill/trainer/synthetic.js";
import { createHeap } from "../distill/trainer/heap.js";
import { KERNELS_VARIABLE } from "../distill/trainer/shared.js";
import { SimdKernels } from "../distill/trainer/simd.js";

const USAGE = `Usage: node dist/bench/train.js [options]

Generates synthetic teacher data (random legal play, material scores) in a temporary folder and
trains one epoch per worker count, printing training samples per second.

  --records N      training records (default 200000)
  --batch N        samples per optimiser step (default 16384)
  --workers LIST   worker counts, comma-separated (default 1,2)
  --kernels LIST   simd (WebAssembly SIMD), js (the JavaScript reference) or both (default simd,js)
  --arch NAME      feature set: halfkp or p (default halfkp)
  --l1 N           transformer width per perspective (default 256)
  --hidden LIST    hidden layer widths (default 32,32)
  --json           also print the results as one JSON object on the last line
  --help           print this text`;

const VALIDATION_RECORDS = 2000;
const TRAIN_SEED = 11;
const VALIDATION_SEED = 12;
const EXIT_USAGE = 2;

interface BenchOptions {
  records: number;
  batch: number;
  workers: number[];
  kernels: Kernels[];
  featureSet: "halfkp" | "p";
  l1: number;
  hidden: number[];
  json: boolean;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`invalid --${name} "${text}": expected a positive integer`);
  return value;
}

function integerList(name: string, text: string): number[] {
  return text.split(",").map((part) => positiveInteger(name, part.trim()));
}

type Kernels = "simd" | "js";

function kernelList(text: string): Kernels[] {
  return text.split(",").map((part) => {
    const name = part.trim();
    if (name !== "simd" && name !== "js") throw new Error(`invalid --kernels "${text}": expected simd, js or both, comma-separated`);
    return name;
  });
}

function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: "string", default: "200000" },
      batch: { type: "string", default: "16384" },
      workers: { type: "string", default: "1,2" },
      kernels: { type: "string", default: "simd,js" },
      arch: { type: "string", default: "halfkp" },
      l1: { type: "string", default: "256" },
      hidden: { type: "string", default: "32,32" },
      json: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  if (!isFeatureSetName(values.arch)) throw new Error(`invalid --arch "${values.arch}": expected halfkp or p`);
  return {
    records: positiveInteger("records", values.records),
    batch: positiveInteger("batch", values.batch),
    workers: integerList("workers", values.workers),
    kernels: kernelList(values.kernels),
    featureSet: values.arch,
    l1: positiveInteger("l1", values.l1),
    hidden: integerList("hidden", values.hidden),
    json: values.json,
  };
}

function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

interface BenchRow {
  workers: number;
  kernels: Kernels;
  /** Samples/s relative to the JavaScript row with as many workers, when the run has one. */
  ratio?: number;
  samplesPerSecond: number;
  /**
   * Training samples per CPU-second of the whole process (all threads) during the training phase.
   * It varies less than the wall-clock rate when other programs share the cores.
   */
  samplesPerCpuSecond: number;
  gradientSeconds: number;
  updateSeconds: number;
  epochSeconds: number;
}

/** CPU time of the process between the first training batch and the start of validation. */
class CpuMeter {
  private start: NodeJS.CpuUsage | undefined;
  private startSamples = 0;
  cpuSeconds = 0;
  samples = 0;

  private trainSamples = 0;

  progress(event: ProgressEvent): void {
    if (event.phase === "train") this.trainSamples = event.total;
    if (event.phase === "train" && this.start === undefined) {
      this.start = process.cpuUsage();
      this.startSamples = event.done;
    }
    if (event.phase === "validate" && this.start !== undefined && this.samples === 0) {
      const used = process.cpuUsage(this.start);
      this.cpuSeconds = (used.user + used.system) / MICROSECONDS_PER_SECOND;
      this.samples = this.trainSamples - this.startSamples;
    }
  }
}

const MICROSECONDS_PER_SECOND = 1e6;

async function measure(options: BenchOptions, folder: string, workers: number, kernels: Kernels): Promise<BenchRow> {
  let metrics: EpochMetrics | undefined;
  const meter = new CpuMeter();
  process.env[KERNELS_VARIABLE] = kernels;
  await trainModel(
    {
      data: [path.join(folder, "train.bin")],
      val: path.join(folder, "val.bin"),
      architecture: { featureSet: options.featureSet, l1: options.l1, hidden: options.hidden },
      batch: options.batch,
      epochs: 1,
      workers,
      moveAgreement: false,
    },
    undefined,
    { onEpoch: (line) => (metrics = line), onProgress: (event) => meter.progress(event) },
  );
  const line = metrics as EpochMetrics;
  return {
    workers,
    kernels,
    samplesPerSecond: Math.round(line.samplesPerSecond),
    samplesPerCpuSecond: Math.round(meter.samples / Math.max(meter.cpuSeconds, 1e-9)),
    gradientSeconds: line.gradientSeconds,
    updateSeconds: line.updateSeconds,
    epochSeconds: line.samples / line.samplesPerSecond,
  };
}

function formatRow(row: BenchRow): string {
  const share = (seconds: number) => `${Math.round((100 * seconds) / row.epochSeconds)}%`;
  const columns = [
    String(row.workers).padStart(7),
    row.kernels.padStart(7),
    String(row.samplesPerSecond).padStart(9),
    String(row.samplesPerCpuSecond).padStart(17),
    share(row.gradientSeconds).padStart(13),
    share(row.updateSeconds).padStart(11),
    (row.ratio === undefined ? "-" : row.ratio.toFixed(2)).padStart(6),
  ];
  return columns.join("  ");
}

/** Sets each row's ratio to the JavaScript row with the same worker count. */
function addRatios(rows: BenchRow[]): void {
  for (const row of rows) {
    const reference = rows.find((other) => other.kernels === "js" && other.workers === row.workers);
    if (reference) row.ratio = row.samplesPerSecond / reference.samplesPerSecond;
  }
}

/** Tells whether the SIMD kernels load on this machine. */
function simdKernelsAvailable(): boolean {
  const heap = createHeap(0);
  return heap !== null && SimdKernels.create(heap) !== null;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.kernels.includes("simd") && !simdKernelsAvailable()) {
    throw new Error("the WebAssembly SIMD kernels did not load: run `npm run build` to compile asm/trainer-kernels.ts, or pass --kernels js");
  }
  const folder = mkdtempSync(path.join(tmpdir(), "shogi-lab-bench-train-"));
  try {
    progress(`generating ${options.records} training records`);
    await writeSyntheticData(path.join(folder, "train.bin"), { records: options.records, seed: TRAIN_SEED });
    await writeSyntheticData(path.join(folder, "val.bin"), { records: VALIDATION_RECORDS, seed: VALIDATION_SEED });
    const loadBefore = loadavg();
    const rows: BenchRow[] = [];
    for (const kernels of options.kernels) {
      for (const workers of options.workers) {
        progress(`training with ${workers} worker${workers === 1 ? "" : "s"} on the ${kernels} kernels`);
        rows.push(await measure(options, folder, workers, kernels));
      }
    }
    addRatios(rows);
    const arch = `${options.featureSet}_${options.l1}x2-${options.hidden.join("-")}`;
    process.stdout.write(`${arch}, ${options.records} records, batch ${options.batch}, one epoch per row\n`);
    process.stdout.write(`load average before: ${loadBefore.map((load) => load.toFixed(2)).join(", ")} on ${availableParallelism()} cores\n`);
    process.stdout.write("workers  kernels  samples/s  samples/CPU-second  gradient time  update time  ratio\n");
    for (const row of rows) process.stdout.write(`${formatRow(row)}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify({ arch, records: options.records, batch: options.batch, loadBefore, rows })}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = EXIT_USAGE;
});

// `shogi-lab model`: inspect model files, convert YaneuraOu nn.bin files, write the material-only
// model and measure evaluator speed.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { architectureName } from "../nn/architecture.js";
import { benchmarkNative, benchmarkOnnx } from "../nn/benchmark.js";
import { MATERIAL_CARD, materialWeights, writeMaterialPath } from "../nn/material.js";
import { exportNnueBin, importNnueBin } from "../nn/nnue-bin.js";
import { EXECUTION_DEVICES, type ExecutionDevice } from "../nn/onnx-evaluator.js";
import { readModelFile } from "../nn/onnx-reader.js";
import { writeModelFile } from "../nn/onnx-writer.js";
import { contentHash } from "../nn/weights.js";

/** Returns the model card of a file as readable text, or as JSON. */
export function modelInfo(file: string, json: boolean): string {
  const { card } = readModelFile(file);
  const summary = { file, bytes: statSync(file).size, name: architectureName(card.architecture), ...card };
  if (json) return `${JSON.stringify(summary, null, 2)}\n`;
  const lines = [
    `file          ${file} (${summary.bytes} bytes)`,
    `architecture  ${summary.name} (${card.architecture.activation}, score = ${card.architecture.outputScale} x logit)`,
    `content hash  ${card.contentHash}`,
    `provenance    ${JSON.stringify(card.provenance)}`,
    `metrics       ${JSON.stringify(card.metrics)}`,
  ];
  if (card.description) lines.splice(1, 0, `description   ${card.description}`);
  return `${lines.join("\n")}\n`;
}

/** Converts a YaneuraOu halfkp_256x2-32-32 nn.bin into an ONNX model; returns the content hash. */
export function importNnue(input: string, output: string, description?: string): string {
  const weights = importNnueBin(readFileSync(input), input);
  writeModelFile(output, weights, {
    description: description ?? `Imported from ${input}`,
    provenance: { source: "imported from nn.bin", notes: "dequantised from YaneuraOu NNUE integers (FV_SCALE 16 assumed)" },
    metrics: {},
  });
  return contentHash(weights);
}

/** Quantises an ONNX model into a YaneuraOu nn.bin; returns the quantisation warnings. */
export function exportNnue(input: string, output: string): string[] {
  const { bytes, warnings } = exportNnueBin(readModelFile(input).weights);
  writeFileSync(output, bytes);
  return warnings;
}

export interface BenchOptions {
  steps: number;
  positions: number;
  batches: number[];
  threads: number;
  device: ExecutionDevice;
}

/** Measures both evaluators on a model and returns the report text. */
export async function benchModel(file: string, options: BenchOptions): Promise<string> {
  const model = readModelFile(file);
  const native = benchmarkNative(model, options.steps);
  const lines = [`native evaluator: ${Math.round(native.evaluationsPerSecond)} evaluations/s (${native.evaluations} do/undo steps in ${Math.round(native.ms)} ms)`];
  const onnx = await benchmarkOnnx(model, { batchSizes: options.batches, positions: options.positions, threads: options.threads, device: options.device });
  if (onnx[0]?.fallbackReason) lines.push(`note: ${onnx[0].fallbackReason}`);
  for (const result of onnx) {
    lines.push(`onnx runtime (${result.device}, ${options.threads} thread(s)), batch ${result.batchSize}: ${Math.round(result.positionsPerSecond)} positions/s (${result.positions} in ${Math.round(result.ms)} ms)`);
  }
  return `${lines.join("\n")}\n`;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`"${text}" is not a positive integer`);
  return value;
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`"${text}" is not a positive number`);
  return value;
}

function integerList(text: string): number[] {
  return text.split(",").map((part) => positiveInteger(part.trim()));
}

function device(text: string): ExecutionDevice {
  if (!(EXECUTION_DEVICES as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`unknown device "${text}": use ${EXECUTION_DEVICES.join(", ")}`);
  }
  return text as ExecutionDevice;
}

export function registerModel(program: Command): void {
  const model = program.command("model").description("Inspect, convert and benchmark evaluation models (.onnx)");
  model
    .command("info <file>")
    .description("Validate a model file and print its model card")
    .option("--json", "print the card as JSON", false)
    .action((file: string, options: { json: boolean }) => {
      process.stdout.write(modelInfo(file, options.json));
    });
  model
    .command("import-nnue <nnbin> <output>")
    .description("Convert a YaneuraOu halfkp_256x2-32-32 nn.bin into an ONNX model (dequantised)")
    .option("--description <text>", "description stored in the model card")
    .action((input: string, output: string, options: { description?: string }) => {
      process.stdout.write(`wrote ${output} (${importNnue(input, output, options.description)})\n`);
    });
  model
    .command("export-nnue <model> <nnbin>")
    .description("Quantise a halfkp_256x2-32-32 ONNX model into a YaneuraOu nn.bin")
    .action((input: string, output: string) => {
      for (const warning of exportNnue(input, output)) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`wrote ${output}\n`);
    });
  model
    .command("material <output>")
    .description("Write the material-only model (p_256x2-32-32), the start of a learned piece-square evaluation")
    .option("--scale <factor>", "multiply the output by this factor, to express material in a teacher's units (1 gives centipawns)", positiveNumber, 1)
    .action((output: string, options: { scale: number }) => {
      const weights = materialWeights();
      const card = options.scale === 1 ? MATERIAL_CARD : { ...MATERIAL_CARD, description: `${MATERIAL_CARD.description}, scaled x${options.scale}` };
      if (options.scale !== 1) writeMaterialPath(weights, options.scale);
      writeModelFile(output, weights, card);
      process.stdout.write(`wrote ${output}\n`);
    });
  model
    .command("bench <model>")
    .description("Measure native evaluations/s in a do/undo walk and ONNX Runtime positions/s per batch size")
    .option("--steps <count>", "do/undo steps of the native walk", positiveInteger, 200_000)
    .option("--positions <count>", "positions evaluated per batch size by ONNX Runtime", positiveInteger, 8192)
    .option("--batches <sizes>", "comma-separated batch sizes", integerList, [1, 64, 1024])
    .option("--threads <count>", "ONNX Runtime intra-op threads", positiveInteger, 1)
    .option("--device <device>", `ONNX Runtime device: ${EXECUTION_DEVICES.join(", ")}`, device, "cpu")
    .action(async (file: string, options: BenchOptions) => {
      process.stdout.write(await benchModel(file, options));
    });
}

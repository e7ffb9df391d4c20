// `shogi-lab finetune`: fine-tunes a base model (full, LoRA or head-only), and its subcommands run a
// sweep, build an opening book, convert game records and run the controls. The work is in finetune/.
import { availableParallelism } from "node:os";
import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { KEEP_WEIGHTS, type KeepWeights } from "../distill/trainer.js";
import {
  FINETUNE_DEFAULTS, FINETUNE_MODES, type FinetuneMode, RESULTS_FILE, buildBook, convertRecords, loadSweepPlan, readSweepResults,
  runControls, runFinetune, runSweep, summarizeSweep,
} from "../finetune/index.js";

const EXIT_INTERRUPTED = 130;

function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number`);
  return value;
}

function parseInteger(text: string): number {
  const value = parseNumber(text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError(`"${text}" is not an integer`);
  return value;
}

function parseList(text: string): string[] {
  return text.split(",").map((part) => part.trim()).filter((part) => part !== "");
}

function print(value: unknown, json: boolean, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

interface RunValues {
  base?: string; data?: string[]; val?: string; out?: string; mode?: FinetuneMode; rank?: number; alpha?: number; loraTargets?: string[];
  headLayers?: number; lr?: number; epochs?: number; lambda?: number; generalVal?: string; generalLambda?: number; seed: number;
  batch: number; workers: number; patience: number; keep: KeepWeights; epochAgreement: boolean; checkpointDir?: string;
  metrics?: string; json: boolean;
}

/** Names the first required option of the plain `finetune` command that is missing. */
function missingOption(values: RunValues): string | undefined {
  const required: Array<[keyof RunValues, string]> = [
    ["base", "--base"], ["data", "--data"], ["val", "--val"], ["out", "--out"], ["mode", "--mode"], ["lr", "--lr"], ["epochs", "--epochs"],
  ];
  return required.find(([key]) => values[key] === undefined)?.[1];
}

async function runCommand(values: RunValues, command: Command): Promise<void> {
  const missing = missingOption(values);
  if (missing) command.error(`error: required option '${missing}' not specified`);
  const progress = !values.json && process.stderr.isTTY === true;
  const result = await runFinetune(
    {
      base: values.base!, data: values.data!, val: values.val!, out: values.out!, mode: values.mode!, rank: values.rank, alpha: values.alpha,
      loraTargets: values.loraTargets, headLayers: values.headLayers, lr: values.lr!, epochs: values.epochs!, lambda: values.lambda,
      generalVal: values.generalVal, generalLambda: values.generalLambda, seed: values.seed, batch: values.batch, workers: values.workers,
      patience: values.patience, keepWeights: values.keep, epochAgreement: values.epochAgreement, checkpointDir: values.checkpointDir,
      metricsFile: values.metrics,
    },
    {
      onEpoch: progress ? (m) => process.stderr.write(`epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(5)}, held-out loss ${m.valLoss.toFixed(5)}\n`) : undefined,
    },
  );
  const general = result.measurements.general;
  const text = `wrote ${result.out}: held-out loss ${result.measurements.heldout.loss.toFixed(5)}` +
    (general ? `, general loss ${general.loss.toFixed(5)}` : "") + ` (${result.seconds.toFixed(1)} s)`;
  print(result, values.json, text);
}

const RUN_HELP = `
Modes:
  full  trains every tensor of the network
  lora  freezes the network and trains low-rank adapters on the transformer and the dense layers
        (--rank, --alpha; the update is scaled by alpha / rank and merged into the exported model)
  head  freezes the feature transformer and trains the dense layers after it; --head-layers K
        trains only the last K dense layers (1 = the output layer)

The loss, validation and checkpoints are those of 'shogi-lab train'; --val is the held-out part of the
fine-tuning domain. --lambda 0 learns from game results only (data from 'finetune records'). The
model card names the parent model (file and content hash) and the fine-tuning settings.

Subcommands: sweep, summary, book, records, controls (see 'shogi-lab finetune help <command>').`;

function registerRun(finetune: Command): void {
  finetune
    .option("--base <model.onnx>", "base model to fine-tune (required)")
    .option("--data <files...>", "fine-tuning data: .bin, .hcpe or .txt (required)")
    .option("--val <file>", "held-out data of the same domain, the trainer's validation file (required)")
    .option("--out <model.onnx>", "output model (required)")
    .addOption(new Option("--mode <mode>", "fine-tuning mode (required)").choices(FINETUNE_MODES))
    .option("--rank <r>", "LoRA rank (default 8)", parseInteger)
    .option("--alpha <a>", "LoRA alpha; the update is scaled by alpha / rank (default: the rank)", parseNumber)
    .option("--lora-targets <layers>", "LoRA: comma-separated layers to adapt, from ft, fc0, fc1, ..., out (default all)", parseList)
    .option("--head-layers <k>", "head: train only the last K dense layers (default all dense layers)", parseInteger)
    .option("--lr <rate>", "learning rate (required)", parseNumber)
    .option("--epochs <count>", "passes over the fine-tuning data (required)", parseInteger)
    .option("--lambda <weight>", "weight of the teacher score in the target, 0..1 (default: the base's training lambda)", parseNumber)
    .option("--general-val <file>", "the base's general validation set; the variant is measured on it")
    .option("--general-lambda <weight>", "lambda of the general-set loss (default: the base's training lambda)", parseNumber)
    .option("--seed <integer>", "seed of the shuffling and of the LoRA factors", parseInteger, 1)
    .option("--batch <samples>", "samples per optimiser step", parseInteger, FINETUNE_DEFAULTS.batch)
    .option("--workers <count>", "worker threads (1 runs inline)", parseInteger, availableParallelism())
    .option("--patience <epochs>", "stop after this many epochs without a lower held-out loss (0: never)", parseInteger, FINETUNE_DEFAULTS.patience)
    .addOption(new Option("--keep <epoch>", "export the last epoch's weights or the best by held-out loss").choices(KEEP_WEIGHTS).default(FINETUNE_DEFAULTS.keepWeights))
    .option("--epoch-agreement", "measure best-move agreement on the held-out file after every epoch", false)
    .option("--checkpoint-dir <dir>", "write a checkpoint after each epoch here, and resume from it")
    .option("--metrics <file.jsonl>", "write one JSON line of metrics per epoch")
    .option("--json", "print one JSON result and no progress", false)
    .addHelpText("after", RUN_HELP)
    .action((values: RunValues, command: Command) => runCommand(values, command));
}

function registerSweep(finetune: Command): void {
  finetune
    .command("sweep")
    .description("Run (or resume) the grid mode x learning rate x epochs x data source of a plan")
    .requiredOption("--plan <file>", "sweep plan (JSON; see finetune/README.md)")
    .option("--out <dir>", "output folder (default: the plan's, else runs/<name>)")
    .option("--json", "print the result as JSON and no progress", false)
    .action(async (values: { plan: string; out?: string; json: boolean }) => {
      const plan = loadSweepPlan(values.plan);
      if (values.out) plan.out = path.resolve(values.out);
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once("SIGINT", interrupt);
      try {
        const result = await runSweep(plan, {
          signal: controller.signal,
          onProgress: values.json ? undefined : (p) => process.stderr.write(
            `${p.done}/${p.total} ${p.skipped ? "done before" : "done"}: ${p.id}${p.etaSeconds === null ? "" : `, about ${Math.round(p.etaSeconds)} s left`}\n`,
          ),
        });
        if (result.interrupted) process.exitCode = EXIT_INTERRUPTED;
        const text = `${result.interrupted ? "stopped" : "finished"}: ${result.ran} lines run, ${result.skipped} found done, ` +
          `${result.seconds.toFixed(0)} s; results in ${path.join(result.out, RESULTS_FILE)}\n\n${summarizeSweep(result.lines)}`;
        print(values.json ? { ...result, lines: undefined } : result, values.json, text);
      } finally {
        process.off("SIGINT", interrupt);
      }
    });
}

function registerSummary(finetune: Command): void {
  finetune
    .command("summary")
    .description("Print Markdown tables of a sweep's results by source, mode, learning rate and epochs")
    .requiredOption("--results <file>", `results file of a sweep (OUT/${RESULTS_FILE})`)
    .addOption(new Option("--metric <loss>", "loss to show").choices(["general", "heldout"]).default("general"))
    .action((values: { results: string; metric: "general" | "heldout" }) => {
      process.stdout.write(summarizeSweep(readSweepResults(values.results), values.metric));
    });
}

function registerBook(finetune: Command): void {
  finetune
    .command("book")
    .description("Build an opening book (positions -> recorded moves with counts, scores, results) from teacher data")
    .requiredOption("--data <files...>", "teacher data or result-labelled records (.bin, .hcpe, .txt)")
    .requiredOption("--out <book.json>", "output book; give it to the engine with 'setoption name BookFile value FILE'")
    .option("--max-ply <ply>", "only positions at or before this ply", parseInteger)
    .option("--min-count <n>", "leave out moves recorded fewer times in a position", parseInteger, 1)
    .option("--json", "print the summary as JSON", false)
    .action(async (values: { data: string[]; out: string; maxPly?: number; minCount: number; json: boolean }) => {
      const summary = await buildBook({ data: values.data, out: values.out, maxPly: values.maxPly, minCount: values.minCount });
      print(summary, values.json, `wrote ${summary.out}: ${summary.positions} positions, ${summary.moves} moves from ${summary.records} records (${summary.skipped} skipped)`);
    });
}

function registerRecords(finetune: Command): void {
  finetune
    .command("records")
    .description("Convert KIF/KI2/CSA game records into result-labelled teacher data (score 0; train with --lambda 0)")
    .requiredOption("--in <paths...>", "record files and folders (searched recursively)")
    .requiredOption("--out <file>", "output teacher data (.bin, .hcpe or .txt)")
    .option("--heldout-out <file>", "second output for held-out games (needs --heldout-every)")
    .option("--heldout-every <n>", "every n-th game, in path order, goes to --heldout-out", parseInteger)
    .option("--skip-first-plies <ply>", "do not write positions before this ply", parseInteger, 0)
    .option("--force", "replace existing outputs", false)
    .option("--json", "print the summary as JSON", false)
    .action(async (values: { in: string[]; out: string; heldoutOut?: string; heldoutEvery?: number; skipFirstPlies: number; force: boolean; json: boolean }) => {
      const summary = await convertRecords({
        inputs: values.in, out: values.out, heldoutOut: values.heldoutOut, heldoutEvery: values.heldoutEvery,
        skipFirstPlies: values.skipFirstPlies, overwrite: values.force,
      });
      const heldout = values.heldoutOut ? `; ${summary.heldoutRecords} positions of ${summary.heldoutGames} games to ${values.heldoutOut}` : "";
      print(summary, values.json, `wrote ${summary.records} positions of ${summary.games - summary.heldoutGames} games to ${values.out}${heldout} (${summary.skippedGames} games without a result skipped)`);
    });
}

function registerControls(finetune: Command): void {
  finetune
    .command("controls")
    .description("Positive control (an under-trained base must improve) and negative control (shuffled labels must hurt)")
    .requiredOption("--base <model.onnx>", "base model; the negative control fine-tunes it")
    .requiredOption("--val <file>", "validation file both controls are judged on")
    .requiredOption("--teacher-data <files...>", "data of the base's teacher: the under-trained base sees its first records, the positive control the rest")
    .option("--shuffle-data <files...>", "data whose labels the negative control shuffles (default: --teacher-data)")
    .requiredOption("--work-dir <dir>", "folder for derived data and control models")
    .option("--share <fraction>", "share of the teacher data the under-trained base sees (one pass)", parseNumber, 0.05)
    .option("--lr <rate>", "fine-tuning learning rate", parseNumber, 1e-3)
    .option("--epochs <count>", "fine-tuning epochs", parseInteger, 4)
    .option("--workers <count>", "worker threads", parseInteger, availableParallelism())
    .option("--json", "print the result as JSON", false)
    .action(async (values: { base: string; val: string; teacherData: string[]; shuffleData?: string[]; workDir: string; share: number; lr: number; epochs: number; workers: number; json: boolean }) => {
      const result = await runControls({
        base: values.base, val: values.val, teacherData: values.teacherData, shuffleData: values.shuffleData, workDir: values.workDir,
        underTrainedShare: values.share, lr: values.lr, epochs: values.epochs, workers: values.workers,
      });
      const line = (name: string, c: { valBefore: number; valAfter: number; expected: string; passed: boolean }) =>
        `${name}: validation loss ${c.valBefore.toFixed(5)} -> ${c.valAfter.toFixed(5)} (expected a ${c.expected}): ${c.passed ? "passed" : "FAILED"}`;
      print(result, values.json, `${line("positive control", result.positive)}\n${line("negative control", result.negative)}`);
      if (!result.positive.passed || !result.negative.passed) process.exitCode = 1;
    });
}

export function registerFinetune(program: Command): void {
  // The subcommands share option names (--out, --data) with the parent; see cli/arena.ts.
  program.enablePositionalOptions();
  const finetune = program
    .command("finetune")
    .description("Fine-tune a base model (full, LoRA or head-only); subcommands run sweeps, books, record conversion and controls")
    .enablePositionalOptions();
  registerRun(finetune);
  registerSweep(finetune);
  registerSummary(finetune);
  registerBook(finetune);
  registerRecords(finetune);
  registerControls(finetune);
}

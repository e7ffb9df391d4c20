// A training session: the shared memory, the thread pool and the data files of one run, with the
// loops over a training epoch and over the validation file.

import type { Architecture } from "../../nn/architecture.js";
import type { TrainConfig } from "./config.js";
import type { EvaluateTask, TaskOutcome, UpdateTask } from "./core.js";
import { type DataFile, type SlotStore, openDataFile } from "./dataset.js";
import { throwProblems } from "./errors.js";
import { type Executor, createExecutor, evaluateTasks, gradientTasks } from "./executor.js";
import type { ExtensionSpec } from "./extensions.js";
import { ValidationAccumulator, type ValidationMetrics } from "./metrics.js";
import { learningRate } from "./optimizer.js";
import type { ParameterSpec } from "./parameters.js";
import { type SharedLayout, createLayout } from "./shared.js";
import { SampleStream } from "./stream.js";

/** Progress of the phase in work, for progress displays. */
export interface ProgressEvent {
  phase: "train" | "validate";
  epoch: number;
  /** Samples done in this phase of this epoch, and the phase's total. */
  done: number;
  total: number;
  step: number;
}

export interface EpochOutcome {
  samples: number;
  /** Number of the epoch's last optimiser step. */
  lastStep: number;
  trainLoss: number;
  learningRate: number;
  seconds: number;
  /** Wall time of the gradient phases (data reading of the next batch overlaps it) and of the update phases. */
  gradientSeconds: number;
  updateSeconds: number;
}

export interface SessionSettings {
  architecture: Architecture;
  specs: ParameterSpec[];
  extensions: ExtensionSpec[];
  workers: number;
  batch: number;
}

export class Session {
  private constructor(
    readonly layout: SharedLayout,
    readonly stores: SlotStore[],
    readonly executor: Executor,
  ) {}

  static async open(settings: SessionSettings, optimizer: SharedLayout["optimizer"]): Promise<Session> {
    const { layout, batchStores } = createLayout(settings.architecture, settings.specs, optimizer, settings.workers, settings.batch, settings.extensions);
    return new Session(layout, batchStores, await createExecutor(layout));
  }

  get workers(): number {
    return this.executor.workers;
  }

  async close(): Promise<void> {
    await this.executor.destroy();
  }

  private run(tasks: Parameters<Executor["run"]>[0]): Promise<TaskOutcome[]> {
    return this.executor.run(tasks);
  }

  /**
   * Trains one epoch: a shuffled pass over the files from the data position `skip`, one optimiser
   * step per batch. The next batch is read while the workers compute on the current one.
   */
  async trainEpoch(
    config: TrainConfig, files: readonly DataFile[], epoch: number, seed: number, firstStep: number, totalSteps: number,
    skip: number, onProgress?: (event: ProgressEvent) => void,
  ): Promise<EpochOutcome> {
    const started = performance.now();
    const total = files.reduce((sum, file) => sum + file.records, 0);
    const stream = new SampleStream(files, config.chunkRecords, config.shuffleBuffer, seed);
    let step = firstStep;
    let lossSum = 0;
    let done = skip;
    let lr = 0;
    let gradientMs = 0;
    let updateMs = 0;
    try {
      await stream.skip(skip);
      let current = 0;
      let size = await stream.take(this.stores[current], config.batch);
      while (size > 0) {
        step++;
        lr = learningRate(config, step, epoch, totalSteps);
        const base = { batch: current, step, lambda: config.lambda, scale: 1 / size };
        const phaseStart = performance.now();
        const [outcomes, nextSize] = await Promise.all([
          this.run(gradientTasks(this.workers, base, size)),
          stream.take(this.stores[1 - current], config.batch),
        ]);
        throwProblems(outcomes, files, epoch);
        lossSum += sumLoss(this.layout.batches[current].outputs.loss, size);
        const updateStart = performance.now();
        throwProblems(await this.run(updateTasks(this.workers, step, lr, size)), files, epoch);
        gradientMs += updateStart - phaseStart;
        updateMs += performance.now() - updateStart;
        done += size;
        onProgress?.({ phase: "train", epoch, done, total, step });
        current = 1 - current;
        size = nextSize;
      }
    } finally {
      await stream.close();
    }
    const samples = done - skip;
    return { samples, lastStep: step, trainLoss: lossSum / Math.max(1, samples), learningRate: lr, seconds: (performance.now() - started) / 1000, gradientSeconds: gradientMs / 1000, updateSeconds: updateMs / 1000 };
  }

  /** Evaluates the current weights on files in order: loss, agreement and correlation. */
  async evaluate(
    files: readonly DataFile[], options: { lambda: number; agreement: boolean; version: number; chunkRecords: number; epoch: number },
    onProgress?: (event: ProgressEvent) => void,
  ): Promise<ValidationMetrics> {
    const total = files.reduce((sum, file) => sum + file.records, 0);
    const stream = new SampleStream(files, options.chunkRecords, 0, undefined);
    const accumulator = new ValidationAccumulator();
    const capacity = this.stores[0].capacity;
    const base: Omit<EvaluateTask, "kind" | "start" | "end"> = { batch: 0, lambda: options.lambda, agreement: options.agreement, version: options.version };
    let done = 0;
    try {
      let current = 0;
      let size = await stream.take(this.stores[current], capacity);
      while (size > 0) {
        const [outcomes, nextSize] = await Promise.all([
          this.run(evaluateTasks(this.workers, { ...base, batch: current }, size)),
          stream.take(this.stores[1 - current], capacity),
        ]);
        throwProblems(outcomes, files, options.epoch);
        accumulator.add(this.layout.batches[current].outputs, size);
        done += size;
        onProgress?.({ phase: "validate", epoch: options.epoch, done, total, step: options.version });
        current = 1 - current;
        size = nextSize;
      }
    } finally {
      await stream.close();
    }
    return accumulator.result();
  }
}

function updateTasks(workers: number, step: number, lr: number, samples: number): UpdateTask[] {
  return Array.from({ length: workers }, (_, part) => ({ kind: "update", part, parts: workers, step, lr, samples }));
}

function sumLoss(loss: Float64Array, size: number): number {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += loss[i];
  return sum;
}

/** Opens data files; throws TeacherDataError for a missing, empty or truncated file. */
export async function openDataFiles(paths: readonly string[], chunkRecords: number): Promise<DataFile[]> {
  const files: DataFile[] = [];
  for (const file of paths) files.push(await openDataFile(file, chunkRecords));
  return files;
}

/** Optimiser steps in one epoch over `records` samples. */
export function stepsPerEpoch(records: number, batch: number): number {
  return Math.ceil(records / batch);
}

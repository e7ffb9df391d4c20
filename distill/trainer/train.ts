// The training run: set-up or resume from a checkpoint, the epoch loop with validation, early
// stopping and checkpoints, and the result with the best epoch's weights.
//
// Random numbers: one generator seeded with the run's seed draws the seed of the initial weights
// first, then the shuffle seed of each epoch. Its state is in every checkpoint, so a resumed run
// draws the same seeds as an unbroken one.

import { architectureName, sameArchitecture } from "../../nn/architecture.js";
import { type NetworkWeights, contentHash } from "../../nn/weights.js";
import { type TrainConfig, TrainConfigError, type TrainOptions, validateTrainConfig } from "./config.js";
import { type DataFile } from "./dataset.js";
import { TrainingDivergedError } from "./errors.js";
import { type ExtensionSpec, type ModelExtension, extensionParameterSpecs, loadExtensions } from "./extensions.js";
import { fileSha256 } from "./hash.js";
import { type EpochMetrics, type ValidationMetrics, appendMetricsLine, rewriteMetricsFile } from "./metrics.js";
import { type ParameterSpec, applyFreeze, copyWeights, networkParameterSpecs, networkTensorCount, weightsView } from "./parameters.js";
import { type ProgressEvent, Session, openDataFiles, stepsPerEpoch } from "./session.js";
import { type RunState, freshState, restoreState, saveState } from "./state.js";

export interface TrainHooks {
  onProgress?(event: ProgressEvent): void;
  onEpoch?(metrics: EpochMetrics): void;
  /** Asked after each epoch's checkpoint; true ends the run there, as a killed run would end. */
  shouldStop?(epoch: number): boolean;
}

/** Options of trainModel: the validated settings plus the extensions (adapters) to add. */
export type TrainModelOptions = Omit<TrainOptions, "architecture"> & {
  architecture?: TrainOptions["architecture"];
  extensions?: ExtensionSpec[];
};

export interface TrainResult {
  config: TrainConfig;
  /** Network weights of the kept epoch (config.keepWeights), with extensions merged where they can be. */
  weights: NetworkWeights;
  /** Every parameter tensor of the best epoch, extensions' included. */
  parameters: Array<{ name: string; value: Float32Array }>;
  history: EpochMetrics[];
  /** Metrics of the epoch whose weights are returned (the best one, or the last with keepWeights "last"). */
  best: EpochMetrics;
  epochsCompleted: number;
  steps: number;
  /** The run ended: all epochs ran or early stopping ended it (false when shouldStop interrupted it). */
  finished: boolean;
  stoppedEarly: boolean;
  /** Whether this call continued a run from a checkpoint. */
  resumed: boolean;
  dataHashes: string[];
  valHash: string;
  /** Content hash of the initial weights when they were given, else null. */
  initialHash: string | null;
}

interface RunInputs {
  config: TrainConfig;
  specs: ParameterSpec[];
  extensions: ModelExtension[];
  extensionSpecs: ExtensionSpec[];
  files: DataFile[];
  valFiles: DataFile[];
  dataHashes: string[];
  valHash: string;
  initialHash: string | null;
}

/**
 * Trains a network. With initialWeights the run starts from them (fine-tuning); otherwise from
 * seeded random weights. With config.checkpointDir, an existing checkpoint of the same settings is
 * resumed. Throws TrainConfigError, TeacherDataError or TrainingDivergedError.
 */
export async function trainModel(options: TrainModelOptions, initial?: NetworkWeights, hooks: TrainHooks = {}): Promise<TrainResult> {
  const inputs = await prepareInputs(options, initial);
  const { config } = inputs;
  const session = await Session.open(
    { architecture: config.architecture, specs: inputs.specs, extensions: inputs.extensionSpecs, workers: config.workers, batch: config.batch },
    { kind: config.optimizer, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon, momentum: config.momentum },
  );
  try {
    const fingerprint = runFingerprint(inputs);
    const restored = config.checkpointDir ? restoreState(config.checkpointDir, fingerprint, session.layout) : undefined;
    const state = restored ?? freshState(config.seed, session.layout, inputs.extensions, initial);
    if (config.metricsFile) rewriteMetricsFile(config.metricsFile, state.history);
    await runEpochs(session, inputs, state, fingerprint, hooks);
    return buildResult(inputs, session, state, restored !== undefined);
  } finally {
    await session.close();
  }
}

async function prepareInputs(options: TrainModelOptions, initial?: NetworkWeights): Promise<RunInputs> {
  const architecture = options.architecture ?? (initial ? { ...initial.architecture } : undefined);
  const config = validateTrainConfig({ ...options, architecture } as TrainOptions);
  if (initial && !sameArchitecture(initial.architecture, config.architecture)) {
    throw new TrainConfigError("architecture", `invalid architecture ${architectureName(config.architecture)}: the initial weights are ${architectureName(initial.architecture)}`);
  }
  const extensionSpecs = options.extensions ?? [];
  const extensions = await loadExtensions(extensionSpecs);
  const specs = [...networkParameterSpecs(config.architecture), ...extensionParameterSpecs(extensions, config.architecture).flat()];
  applyFreeze(specs, config.freeze);
  const files = await openDataFiles(config.data, config.chunkRecords);
  const valFiles = await openDataFiles([config.val], config.chunkRecords);
  const dataHashes = await Promise.all(config.data.map(fileSha256));
  const valHash = await fileSha256(config.val);
  const initialHash = initial ? contentHash(initial) : null;
  return { config, specs, extensions, extensionSpecs, files, valFiles, dataHashes, valHash, initialHash };
}

/** Everything that decides the trained weights; a checkpoint resumes only under the same values. */
function runFingerprint(inputs: RunInputs): Record<string, unknown> {
  const { config } = inputs;
  return {
    architecture: config.architecture,
    dataHashes: inputs.dataHashes,
    valHash: inputs.valHash,
    initialHash: inputs.initialHash,
    extensions: inputs.extensionSpecs,
    parameters: inputs.specs.map((spec) => `${spec.name}${spec.trainable ? "" : " (frozen)"}`),
    lambda: config.lambda,
    optimizer: config.optimizer,
    lr: config.lr,
    momentum: config.momentum,
    beta1: config.beta1,
    beta2: config.beta2,
    epsilon: config.epsilon,
    schedule: config.schedule,
    lrDecay: config.lrDecay,
    lrStepEpochs: config.lrStepEpochs,
    warmupSteps: config.warmupSteps,
    batch: config.batch,
    epochs: config.epochs,
    patience: config.patience,
    // Only "last" enters the fingerprint, so checkpoints written before the setting existed still resume.
    ...(config.keepWeights === "last" ? { keepWeights: config.keepWeights } : {}),
    workers: config.workers,
    seed: config.seed,
    shuffleBuffer: config.shuffleBuffer,
    chunkRecords: config.chunkRecords,
  };
}

async function runEpochs(session: Session, inputs: RunInputs, state: RunState, fingerprint: Record<string, unknown>, hooks: TrainHooks): Promise<void> {
  const { config } = inputs;
  const records = inputs.files.reduce((sum, file) => sum + file.records, 0);
  const totalSteps = stepsPerEpoch(records, config.batch) * config.epochs;
  const sessionStart = performance.now();
  const elapsedBefore = state.elapsedSeconds;
  while (!state.finished && state.epoch < config.epochs) {
    const epoch = state.epoch + 1;
    const seed = state.random.nextUint32();
    const outcome = await session.trainEpoch(config, inputs.files, epoch, seed, state.step, totalSteps, state.dataPosition.sample, hooks.onProgress);
    state.step = outcome.lastStep;
    const validation = await session.evaluate(
      inputs.valFiles, { lambda: config.lambda, agreement: config.moveAgreement, version: state.step, chunkRecords: config.chunkRecords, epoch },
      hooks.onProgress,
    );
    if (!Number.isFinite(validation.loss)) {
      throw new TrainingDivergedError(state.step, epoch, "validation", `the validation loss is ${validation.loss}`);
    }
    state.elapsedSeconds = elapsedBefore + (performance.now() - sessionStart) / 1000;
    const metrics = epochMetrics(epoch, state, outcome, validation);
    recordEpoch(state, metrics, session, config);
    if (config.checkpointDir) saveState(config.checkpointDir, fingerprint, state, session.layout);
    if (config.metricsFile) appendMetricsLine(config.metricsFile, metrics);
    hooks.onEpoch?.(metrics);
    if (!state.finished && hooks.shouldStop?.(epoch)) return;
  }
}

function epochMetrics(
  epoch: number, state: RunState, outcome: Awaited<ReturnType<Session["trainEpoch"]>>, validation: ValidationMetrics,
): EpochMetrics {
  return {
    epoch,
    steps: state.step,
    samples: outcome.samples,
    learningRate: outcome.learningRate,
    trainLoss: outcome.trainLoss,
    valLoss: validation.loss,
    valLossFloor: validation.lossFloor,
    moveAgreement: validation.moveAgreement,
    scoreCorrelation: validation.scoreCorrelation,
    samplesPerSecond: outcome.samples / Math.max(outcome.seconds, 1e-9),
    gradientSeconds: outcome.gradientSeconds,
    updateSeconds: outcome.updateSeconds,
    elapsedSeconds: state.elapsedSeconds,
  };
}

/** Adds an epoch to the history, keeps the best (or last) weights and decides whether the run has ended. */
function recordEpoch(state: RunState, metrics: EpochMetrics, session: Session, config: TrainConfig): void {
  state.history.push(metrics);
  state.epoch = metrics.epoch;
  state.dataPosition = { epoch: metrics.epoch + 1, sample: 0 };
  const improved = state.best === undefined || metrics.valLoss < state.best.valLoss;
  if (improved || config.keepWeights === "last") {
    state.best = metrics;
    session.layout.values.forEach((value, p) => state.bestValues[p].set(value));
  }
  state.epochsWithoutImprovement = improved ? 0 : state.epochsWithoutImprovement + 1;
  state.stoppedEarly = config.patience > 0 && state.epochsWithoutImprovement >= config.patience;
  state.finished = state.stoppedEarly || state.epoch >= config.epochs;
}

function buildResult(inputs: RunInputs, session: Session, state: RunState, resumed: boolean): TrainResult {
  const { config } = inputs;
  if (state.best === undefined) throw new Error("training ended before its first epoch");
  const values = state.bestValues;
  const weights = copyWeights(weightsView(config.architecture, values));
  let first = networkTensorCount(config.architecture);
  for (const extension of inputs.extensions) {
    const count = extension.parameters(config.architecture).length;
    extension.merge?.(weights, values.slice(first, first + count));
    first += count;
  }
  return {
    config,
    weights,
    parameters: inputs.specs.map((spec, p) => ({ name: spec.name, value: values[p].slice() })),
    history: state.history,
    best: state.best,
    epochsCompleted: state.epoch,
    steps: state.step,
    finished: state.finished,
    stoppedEarly: state.stoppedEarly,
    resumed,
    dataHashes: inputs.dataHashes,
    valHash: inputs.valHash,
    initialHash: inputs.initialHash,
  };
}

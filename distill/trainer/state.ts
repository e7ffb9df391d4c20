// The state of a training run between epochs, how a fresh run sets it up, and its round trip
// through a checkpoint.

import { type NetworkWeights, weightTensors } from "../../nn/weights.js";
import { TrainConfigError } from "./config.js";
import { type CheckpointHeader, type DataPosition, checkpointPath, fingerprintDifferences, loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import type { ModelExtension } from "./extensions.js";
import { initialWeights } from "./init.js";
import type { EpochMetrics } from "./metrics.js";
import { networkTensorCount } from "./parameters.js";
import { Random } from "./random.js";
import type { SharedLayout } from "./shared.js";

export interface RunState {
  /** Epochs completed. */
  epoch: number;
  step: number;
  random: Random;
  dataPosition: DataPosition;
  history: EpochMetrics[];
  best: EpochMetrics | undefined;
  /** Parameter values of the best epoch, in parameter order. */
  bestValues: Float32Array[];
  epochsWithoutImprovement: number;
  stoppedEarly: boolean;
  finished: boolean;
  elapsedSeconds: number;
}

/** Bookkeeping stored in the checkpoint header's `progress` field. */
interface StoredProgress {
  history: EpochMetrics[];
  bestEpoch: number | null;
  epochsWithoutImprovement: number;
  stoppedEarly: boolean;
}

/** Sets the layout's values to the initial weights (given, or seeded random) and returns the state of epoch 0. */
export function freshState(seed: number, layout: SharedLayout, extensions: readonly ModelExtension[], initial?: NetworkWeights): RunState {
  const random = new Random(seed);
  const weightSeed = random.nextUint32();
  const extensionRandom = new Random(random.nextUint32());
  const weights = initial ?? initialWeights(layout.architecture, weightSeed);
  weightTensors(weights).forEach((tensor, p) => layout.values[p].set(tensor));
  let first = networkTensorCount(layout.architecture);
  for (const extension of extensions) {
    const count = extension.parameters(layout.architecture).length;
    extension.initialize?.(layout.values.slice(first, first + count), () => extensionRandom.next());
    first += count;
  }
  return {
    epoch: 0,
    step: 0,
    random,
    dataPosition: { epoch: 1, sample: 0 },
    history: [],
    best: undefined,
    bestValues: layout.values.map((value) => new Float32Array(value.length)),
    epochsWithoutImprovement: 0,
    stoppedEarly: false,
    finished: false,
    elapsedSeconds: 0,
  };
}

function tensorList(state: RunState, layout: SharedLayout): Array<{ name: string; data: Float32Array }> {
  const list: Array<{ name: string; data: Float32Array }> = [];
  layout.specs.forEach((spec, p) => {
    list.push({ name: spec.name, data: layout.values[p] });
    layout.state[p].forEach((data, k) => list.push({ name: `${spec.name}#state${k}`, data }));
    list.push({ name: `${spec.name}#best`, data: state.bestValues[p] });
  });
  return list;
}

export function saveState(dir: string, fingerprint: Record<string, unknown>, state: RunState, layout: SharedLayout): void {
  const progress: StoredProgress = {
    history: state.history,
    bestEpoch: state.best?.epoch ?? null,
    epochsWithoutImprovement: state.epochsWithoutImprovement,
    stoppedEarly: state.stoppedEarly,
  };
  saveCheckpoint(dir, {
    fingerprint,
    epoch: state.epoch,
    step: state.step,
    rngState: state.random.state,
    dataPosition: state.dataPosition,
    finished: state.finished,
    elapsedSeconds: state.elapsedSeconds,
    progress,
  }, tensorList(state, layout));
}

/**
 * Loads the checkpoint of dir into the layout and returns its state, or undefined when dir contains
 * none. Throws TrainConfigError("checkpointDir") when it was written with other settings.
 */
export function restoreState(dir: string, fingerprint: Record<string, unknown>, layout: SharedLayout): RunState | undefined {
  const checkpoint = loadCheckpoint(dir);
  if (!checkpoint) return undefined;
  const { header } = checkpoint;
  const differences = fingerprintDifferences(header.fingerprint, fingerprint);
  if (differences.length > 0) {
    throw new TrainConfigError("checkpointDir", `the checkpoint ${checkpointPath(dir)} belongs to a run with other settings (${differences.join("; ")}); give another checkpoint directory or delete it to start afresh`);
  }
  const random = new Random(0);
  random.state = header.rngState;
  const state = stateFromHeader(header, random, layout);

  const byName = new Map(header.tensors.map((tensor, i) => [tensor.name, checkpoint.tensors[i]]));
  for (const { name, data } of tensorList(state, layout)) {
    const stored = byName.get(name);
    if (!stored || stored.length !== data.length) {
      throw new Error(`${checkpointPath(dir)}: tensor ${name} is missing or has the wrong size; delete the checkpoint to start afresh`);
    }
    data.set(stored);
  }
  return state;
}

function stateFromHeader(header: CheckpointHeader, random: Random, layout: SharedLayout): RunState {
  const progress = header.progress as StoredProgress;
  return {
    epoch: header.epoch,
    step: header.step,
    random,
    dataPosition: header.dataPosition,
    history: progress.history,
    best: progress.history.find((metrics) => metrics.epoch === progress.bestEpoch),
    bestValues: layout.values.map((value) => new Float32Array(value.length)),
    epochsWithoutImprovement: progress.epochsWithoutImprovement,
    stoppedEarly: progress.stoppedEarly,
    finished: header.finished,
    elapsedSeconds: header.elapsedSeconds,
  };
}

// Extensions: modules that add parameter tensors and hooks to the network, such as low-rank
// adapters for fine-tuning. Worker threads cannot receive functions, so an extension is named by
// the URL of an ES module and JSON options. The main thread and every worker import that module.
//
// The module exports `createExtension(options: unknown): ModelExtension`. Its parameters follow the
// network's tensors in the parameter list, named as the extension chooses; the trainer allocates,
// checkpoints and optimises them like the network's own.

import { pathToFileURL } from "node:url";
import type { Architecture } from "../../nn/architecture.js";
import type { NetworkWeights } from "../../nn/weights.js";
import type { NetworkHooks } from "./network.js";
import type { ParameterSpec } from "./parameters.js";

export interface ExtensionSpec {
  /** URL (file:) or absolute path of the ES module. */
  module: string;
  /** JSON-serialisable options passed to createExtension. */
  options?: unknown;
}

export interface ExtensionParameter {
  name: string;
  rows: number;
  cols: number;
  /** See ParameterSpec.sparseRows; default false. */
  sparseRows?: boolean;
  /** Default 1. */
  lrScale?: number;
}

export interface ModelExtension {
  parameters(arch: Architecture): ExtensionParameter[];
  /** Sets initial values of a fresh run (they start at zero otherwise); runs on the main thread. */
  initialize?(values: Float32Array[], random: () => number): void;
  /**
   * Hooks of one thread. `values` are this extension's parameter tensors; `first` is the index of
   * its first tensor in the parameter list, for GradientSink.grads and markRow.
   */
  hooks(values: Float32Array[], first: number, arch: Architecture): NetworkHooks;
  /** Folds the extension into plain network weights for export; without it, export keeps the network's own weights. */
  merge?(weights: NetworkWeights, values: Float32Array[]): void;
}

interface ExtensionModule {
  createExtension(options: unknown): ModelExtension;
}

/** Imports the extension modules in order; throws when one lacks createExtension. */
export async function loadExtensions(specs: readonly ExtensionSpec[]): Promise<ModelExtension[]> {
  const extensions: ModelExtension[] = [];
  for (const spec of specs) {
    const url = spec.module.startsWith("file:") ? spec.module : pathToFileURL(spec.module).href;
    const module = (await import(url)) as Partial<ExtensionModule>;
    if (typeof module.createExtension !== "function") {
      throw new Error(`extension module ${spec.module} does not export a createExtension(options) function`);
    }
    extensions.push(module.createExtension(spec.options));
  }
  return extensions;
}

/** Specs of the extensions' tensors, trainable unless frozen later. */
export function extensionParameterSpecs(extensions: readonly ModelExtension[], arch: Architecture): ParameterSpec[][] {
  return extensions.map((extension) =>
    extension.parameters(arch).map((p) => ({
      name: p.name, rows: p.rows, cols: p.cols, sparseRows: p.sparseRows ?? false, trainable: true, lrScale: p.lrScale ?? 1,
    })),
  );
}

/** Combines hooks into one set that calls each extension's hooks in order. */
export function combineHooks(list: readonly NetworkHooks[]): NetworkHooks | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const combined: NetworkHooks = {};
  const withAccumulator = list.filter((hooks) => hooks.accumulator);
  const withAccumulatorBackward = list.filter((hooks) => hooks.accumulatorBackward);
  const withDense = list.filter((hooks) => hooks.dense);
  const withDenseBackward = list.filter((hooks) => hooks.denseBackward);
  if (withAccumulator.length) combined.accumulator = (...args) => withAccumulator.forEach((hooks) => hooks.accumulator?.(...args));
  if (withAccumulatorBackward.length) {
    combined.accumulatorBackward = (...args) => withAccumulatorBackward.forEach((hooks) => hooks.accumulatorBackward?.(...args));
  }
  if (withDense.length) combined.dense = (...args) => withDense.forEach((hooks) => hooks.dense?.(...args));
  if (withDenseBackward.length) combined.denseBackward = (...args) => withDenseBackward.forEach((hooks) => hooks.denseBackward?.(...args));
  return combined;
}

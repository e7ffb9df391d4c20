// Fine-tuning modes, each expressed as the trainer's frozen tensors and extensions:
//
//   full  every network tensor is trained.
//   head  the transformer (ft.weight, ft.bias) is frozen and the dense layers after it are trained:
//         all of them by default, or only the last `headLayers` of them (1 = the output layer).
//   lora  every network tensor is frozen; low-rank adapters (lora.ts) on the transformer and the
//         dense layers are trained and merged into the weights on export.

import { type Architecture, denseShapes } from "../nn/architecture.js";
import { FT_BIAS, FT_WEIGHT, layerPrefix } from "../nn/onnx-graph.js";
import { type ExtensionSpec, networkParameterSpecs } from "../distill/trainer.js";
import { type LoraOptions, checkLoraOptions, loraTargetNames } from "./lora.js";

export type FinetuneMode = "full" | "lora" | "head";
export const FINETUNE_MODES: readonly FinetuneMode[] = ["full", "lora", "head"];

export const DEFAULT_LORA_RANK = 8;
/** LoRA alpha defaults to the rank, so the update's scale alpha / rank is 1. */
export const DEFAULT_LORA_ALPHA_PER_RANK = 1;

/** The mode's settings; fields of other modes are ignored. */
export interface ModeSettings {
  mode: FinetuneMode;
  /** LoRA: rank of every adapter. */
  rank?: number;
  /** LoRA: the update is scaled by alpha / rank. */
  alpha?: number;
  /** LoRA: adapted layers ("ft", "fc0", ..., "out"); all by default. */
  loraTargets?: string[];
  /** head: trained dense layers counted from the output; all dense layers by default. */
  headLayers?: number;
}

/** Trainer settings of a mode: tensors to freeze and extensions to add. */
export interface ModePlan {
  freeze: string[];
  extensions: ExtensionSpec[];
  /** The mode's settings with defaults filled in, for the model card. */
  settings: Record<string, unknown>;
}

/** URL of the compiled LoRA module, which the trainer's worker threads import. */
export const LORA_MODULE_URL = new URL("./lora.js", import.meta.url).href;

/** Names of the dense layers' tensors, first layer first. */
function denseTensorNames(arch: Architecture): string[][] {
  const count = denseShapes(arch).length;
  return Array.from({ length: count }, (_, i) => [`${layerPrefix(i, count)}.weight`, `${layerPrefix(i, count)}.bias`]);
}

/** Builds the trainer settings of a mode; throws Error on settings that do not fit the architecture. */
export function planMode(settings: ModeSettings, arch: Architecture): ModePlan {
  const all = networkParameterSpecs(arch).map((spec) => spec.name);
  switch (settings.mode) {
    case "full":
      return { freeze: [], extensions: [], settings: { mode: "full" } };
    case "head":
      return planHead(settings, arch);
    case "lora": {
      const rank = settings.rank ?? DEFAULT_LORA_RANK;
      const lora: LoraOptions = { rank, alpha: settings.alpha ?? rank * DEFAULT_LORA_ALPHA_PER_RANK };
      if (settings.loraTargets !== undefined) lora.targets = settings.loraTargets;
      checkLoraOptions(lora, arch);
      const targets = lora.targets ?? loraTargetNames(arch);
      return {
        freeze: all,
        extensions: [{ module: LORA_MODULE_URL, options: lora }],
        settings: { mode: "lora", rank, alpha: lora.alpha, scale: lora.alpha / rank, targets },
      };
    }
  }
}

function planHead(settings: ModeSettings, arch: Architecture): ModePlan {
  const dense = denseTensorNames(arch);
  const layers = settings.headLayers ?? dense.length;
  if (!Number.isInteger(layers) || layers < 1 || layers > dense.length) {
    throw new Error(`invalid head layers ${JSON.stringify(settings.headLayers)}: expected an integer from 1 to ${dense.length} (the dense layers of this network)`);
  }
  const trained = dense.slice(dense.length - layers);
  const frozen = [FT_WEIGHT, FT_BIAS, ...dense.slice(0, dense.length - layers).flat()];
  return { freeze: frozen, extensions: [], settings: { mode: "head", headLayers: layers, trained: trained.flat() } };
}

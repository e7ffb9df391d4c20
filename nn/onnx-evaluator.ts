// Batch evaluator on ONNX Runtime (onnxruntime-node), on the CPU by default. A GPU is reached
// through the WebGPU execution provider that onnxruntime-node bundles, which is Dawn over Vulkan
// and needs the system's Vulkan loader (Debian package libvulkan1). CUDA works when its provider
// libraries are installed. When the requested device cannot start, the evaluator runs on the CPU
// and stores the reason in `fallbackReason`, so callers decide whether to print it.

import ort from "onnxruntime-node";
import type { Position } from "../shogi/position.js";
import { type FeatureBatch, encodeFeatureBatch } from "./feature-batch.js";
import { type FeatureSet, featureSet } from "./features.js";
import type { ModelCard } from "./model-card.js";
import { SCORE_OUTPUT, THEM_INPUT, US_INPUT } from "./onnx-graph.js";
import { type LoadedModel, readModelFile } from "./onnx-reader.js";

export type ExecutionDevice = "cpu" | "webgpu" | "cuda";
export const EXECUTION_DEVICES: readonly ExecutionDevice[] = ["cpu", "webgpu", "cuda"];

export interface OnnxEvaluatorOptions {
  /** Requested device; "cpu" when not given. */
  device?: ExecutionDevice;
  /** Threads ONNX Runtime uses inside one operator; its own default (all cores) when not given. */
  intraOpNumThreads?: number;
}

/** ORT log level "fatal": a failing GPU provider is reported through fallbackReason instead. */
const QUIET_LOG_SEVERITY = 4;

export class OnnxEvaluator {
  /** Device in use: the requested one, or "cpu" after a fallback. */
  readonly device: ExecutionDevice;
  /** Reason the requested device is not in use; undefined when it is. */
  readonly fallbackReason: string | undefined;
  readonly card: ModelCard;
  readonly features: FeatureSet;
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, model: LoadedModel, device: ExecutionDevice, fallbackReason?: string) {
    this.session = session;
    this.card = model.card;
    this.features = featureSet(model.card.architecture.featureSet);
    this.device = device;
    this.fallbackReason = fallbackReason;
  }

  /** Opens a model file (validated by readModelFile) or an already loaded model. */
  static async create(source: string | LoadedModel, options: OnnxEvaluatorOptions = {}): Promise<OnnxEvaluator> {
    const model = typeof source === "string" ? readModelFile(source) : source;
    const requested = options.device ?? "cpu";
    const base: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: "all" };
    if (options.intraOpNumThreads !== undefined) base.intraOpNumThreads = options.intraOpNumThreads;
    if (requested === "cpu") {
      return new OnnxEvaluator(await ort.InferenceSession.create(model.bytes, { ...base, executionProviders: ["cpu"] }), model, "cpu");
    }
    try {
      const session = await ort.InferenceSession.create(model.bytes, {
        ...base,
        executionProviders: [requested],
        logSeverityLevel: QUIET_LOG_SEVERITY,
      });
      return new OnnxEvaluator(session, model, requested);
    } catch (error) {
      const reason = `the ${requested} execution provider could not start (${firstLine((error as Error).message)}); evaluating on the CPU instead. ${deviceHint(requested)}`;
      const session = await ort.InferenceSession.create(model.bytes, { ...base, executionProviders: ["cpu"] });
      return new OnnxEvaluator(session, model, "cpu", reason);
    }
  }

  /** Scores of positions, in centipawns for each position's side to move. */
  async evaluate(positions: readonly Position[], reuse?: FeatureBatch): Promise<Float32Array> {
    return this.evaluateBatch(encodeFeatureBatch(this.features, positions, reuse));
  }

  /** Scores of an encoded batch (see feature-batch.ts). */
  async evaluateBatch(batch: FeatureBatch): Promise<Float32Array> {
    const count = batch.size * batch.maxActive;
    const dims = [batch.size, batch.maxActive];
    const feeds = {
      [US_INPUT]: new ort.Tensor("int64", batch.us.subarray(0, count), dims),
      [THEM_INPUT]: new ort.Tensor("int64", batch.them.subarray(0, count), dims),
    };
    const result = await this.session.run(feeds);
    return result[SCORE_OUTPUT].data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

function deviceHint(device: ExecutionDevice): string {
  if (device === "webgpu") return "WebGPU needs a GPU with a Vulkan driver and the Vulkan loader (Debian: apt-get install libvulkan1).";
  return "CUDA needs an NVIDIA GPU, CUDA 12 and the onnxruntime-node CUDA provider libraries, which its install script downloads.";
}

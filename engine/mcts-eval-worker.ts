// Entry point of the evaluation thread of the tree search. It owns one ONNX Runtime session,
// evaluates batches of encoded features and posts their scores back. Feature buffers travel by transfer, not copy,
// and go back with the reply so the search thread can reuse them.

import { parentPort } from "node:worker_threads";
import type { FeatureSetName } from "../nn/features.js";
import { type ExecutionDevice, OnnxEvaluator } from "../nn/onnx-evaluator.js";

export type EvalRequest =
  | { type: "open"; model: string; device: ExecutionDevice; threads: number }
  | { type: "run"; id: number; size: number; maxActive: number; us: BigInt64Array; them: BigInt64Array };

export type EvalReply =
  | { type: "opened"; device: ExecutionDevice; fallbackReason: string | undefined; featureSet: FeatureSetName }
  | { type: "open-failed"; message: string }
  | { type: "result"; id: number; scores: Float32Array; networkMs: number; us: BigInt64Array; them: BigInt64Array }
  | { type: "run-failed"; id: number; message: string };

const port = parentPort;
let evaluator: OnnxEvaluator | undefined;

if (port !== null) {
  // Requests are handled one after another, because a session runs one batch at a time anyway.
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (request: EvalRequest) => {
    queue = queue.then(() => handle(request));
  });
}

async function handle(request: EvalRequest): Promise<void> {
  if (request.type === "open") {
    await open(request);
    return;
  }
  try {
    if (evaluator === undefined) throw new Error("no model is open");
    const started = performance.now();
    const output = await evaluator.evaluateBatch({ size: request.size, maxActive: request.maxActive, us: request.us, them: request.them });
    const scores = output.slice(0, request.size);
    const reply: EvalReply = {
      type: "result", id: request.id, scores, networkMs: performance.now() - started, us: request.us, them: request.them,
    };
    port!.postMessage(reply, [scores.buffer, request.us.buffer as ArrayBuffer, request.them.buffer as ArrayBuffer]);
  } catch (error) {
    port!.postMessage({ type: "run-failed", id: request.id, message: messageOf(error) } satisfies EvalReply);
  }
}

async function open(request: Extract<EvalRequest, { type: "open" }>): Promise<void> {
  try {
    evaluator = await OnnxEvaluator.create(request.model, { device: request.device, intraOpNumThreads: request.threads });
    const reply: EvalReply = {
      type: "opened", device: evaluator.device, fallbackReason: evaluator.fallbackReason, featureSet: evaluator.card.architecture.featureSet,
    };
    port!.postMessage(reply);
  } catch (error) {
    port!.postMessage({ type: "open-failed", message: messageOf(error) } satisfies EvalReply);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

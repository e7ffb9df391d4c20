// Runs the USI engine on stdin and stdout: the session on the main thread, search in a worker.
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ExecutionDevice } from "../nn/onnx-evaluator.js";
import { UsiSession } from "./session.js";
import { CONTROL_SLOTS, type FromWorker, type ToWorker } from "./worker-protocol.js";

/** The folder that contains the engine's package; relative EvalFile paths resolve against it. */
export const ENGINE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface UsiEngineOptions {
  /** Model file used until the GUI sets EvalFile. */
  model?: string;
  /** ONNX Runtime device of the tree search until the GUI sets EvalDevice. */
  device?: ExecutionDevice;
}

/** Serves USI on the process's stdin and stdout until `quit` or the end of input. */
export function runUsiEngine(options: UsiEngineOptions = {}): Promise<void> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker;
  let closing = false;
  const session = new UsiSession(writeLine, { post: (message: ToWorker) => worker.postMessage(message) }, control, ENGINE_ROOT);
  if (options.model) session.settings.evalFile = options.model;
  // A worker that dies (an uncaught error, or running out of memory) is replaced, so the GUI
  // still gets an answer to the pending command and the engine keeps running.
  const startWorker = (): void => {
    worker = new Worker(new URL("./search-worker.js", import.meta.url), {
      workerData: { control: control.buffer, hashMb: session.settings.hashMb },
    });
    worker.on("message", (message: FromWorker) => session.handleWorker(message));
    worker.on("error", (error) => writeLine(`info string search worker failed: ${error.message}`));
    worker.on("exit", (code) => {
      if (closing) return;
      startWorker();
      session.workerLost(`search worker exited with code ${code}`);
    });
  };
  startWorker();
  return new Promise((resolve) => {
    const input = createInterface({ input: process.stdin, terminal: false });
    const close = (): void => {
      if (closing) return;
      closing = true;
      session.handleLine("quit");
      input.close();
      void worker.terminate().then(() => process.stdout.write("", () => resolve()));
    };
    input.on("line", (line) => {
      if (session.handleLine(line) === "quit") close();
    });
    input.on("close", close);
  });
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

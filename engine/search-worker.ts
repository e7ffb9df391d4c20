// Entry point of the search worker thread: forwards the session's messages to a SearchRunner.
import { parentPort, workerData } from "node:worker_threads";
import { SearchRunner } from "./search-runner.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";

interface WorkerData {
  control: SharedArrayBuffer;
  hashMb: number;
}

const port = parentPort;
if (port === null) throw new Error("search-worker.js must run as a worker thread");
const data = workerData as WorkerData;
const runner = new SearchRunner(new Int32Array(data.control), (message: FromWorker) => port.postMessage(message), data.hashMb);

// Messages are handled one after another: a `go` that follows a `load` waits for the model.
let queue: Promise<void> = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() => handle(message)).catch((error: unknown) => {
    port.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
  });
});

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "load":
      await runner.load(message.settings, message.engineRoot);
      return;
    case "newgame":
      runner.newGame();
      return;
    case "go":
      // The tree search is asynchronous; it reads stop and ponderhit from the control block meanwhile.
      await runner.go(message);
      return;
    case "mate":
      runner.mate(message);
      return;
  }
}

// Entry module of a pool thread: builds a TrainerCore on the shared memory it receives as
// workerData and runs the tasks the main thread sends.

import { workerData } from "node:worker_threads";
import { type Task, type TaskOutcome, TrainerCore } from "./core.js";
import type { SharedLayout } from "./shared.js";

const core = await TrainerCore.create((workerData as { layout: SharedLayout }).layout);

export default function runTask(task: Task): TaskOutcome {
  return core.run(task);
}

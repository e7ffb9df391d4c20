// Runs the tasks of a step on W threads: each batch is split into W contiguous slices, slice s on
// gradient slot s, and the optimiser update into W parts (rows by index modulo W, dense tensors by
// range). With one worker the same TrainerCore runs inline on the main thread.

import { Piscina } from "piscina";
import { type EvaluateTask, type GradientTask, type Task, type TaskOutcome, TrainerCore } from "./core.js";
import type { SharedLayout } from "./shared.js";

export interface Executor {
  readonly workers: number;
  run(tasks: Task[]): Promise<TaskOutcome[]>;
  destroy(): Promise<void>;
}

class InlineExecutor implements Executor {
  readonly workers = 1;
  constructor(private readonly core: TrainerCore) {}

  async run(tasks: Task[]): Promise<TaskOutcome[]> {
    return tasks.map((task) => this.core.run(task));
  }

  async destroy(): Promise<void> {}
}

class PoolExecutor implements Executor {
  constructor(
    readonly workers: number,
    private readonly pool: Piscina<Task, TaskOutcome>,
  ) {}

  run(tasks: Task[]): Promise<TaskOutcome[]> {
    return Promise.all(tasks.map((task) => this.pool.run(task)));
  }

  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Starts the executor of a layout: inline for one gradient slot, else a pool of that many threads. */
export async function createExecutor(layout: SharedLayout): Promise<Executor> {
  const workers = layout.slots.length;
  if (workers === 1) return new InlineExecutor(await TrainerCore.create(layout));
  const pool = new Piscina<Task, TaskOutcome>({
    filename: new URL("./worker.js", import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { layout },
  });
  return new PoolExecutor(workers, pool);
}

/** Bounds of slice s of n samples split into `parts` contiguous slices. */
export function sliceBounds(n: number, s: number, parts: number): [number, number] {
  return [Math.floor((s * n) / parts), Math.floor(((s + 1) * n) / parts)];
}

/** Builds the gradient tasks of one batch, one per slot. */
export function gradientTasks(workers: number, base: Omit<GradientTask, "kind" | "start" | "end" | "slot">, size: number): GradientTask[] {
  return Array.from({ length: workers }, (_, slot) => {
    const [start, end] = sliceBounds(size, slot, workers);
    return { kind: "gradients", ...base, start, end, slot };
  });
}

/** Builds the evaluation tasks of one batch, one per worker. */
export function evaluateTasks(workers: number, base: Omit<EvaluateTask, "kind" | "start" | "end">, size: number): EvaluateTask[] {
  return Array.from({ length: workers }, (_, s) => {
    const [start, end] = sliceBounds(size, s, workers);
    return { kind: "evaluate", ...base, start, end };
  });
}

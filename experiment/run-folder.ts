// The run folder `runs/NAME/`: the plan, the state of each stage, and the machine description.
// A stage marks itself done only after its outputs are written, so a rerun skips finished stages
// and redoes an interrupted one (the arena and the trainer resume inside a stage on their own).

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MachineInfo } from "../reports/run-data.js";

export const STAGES = ["variants", "controls", "arena", "report"] as const;
export type Stage = (typeof STAGES)[number];

export interface RunState {
  startedAt: string;
  done: Partial<Record<Stage, string>>;
}

const STATE_FILE = "state.json";

export class RunFolder {
  readonly state: RunState;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, STATE_FILE);
    this.state = existsSync(file)
      ? (JSON.parse(readFileSync(file, "utf8")) as RunState)
      : { startedAt: new Date().toISOString(), done: {} };
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  isDone(stage: Stage): boolean {
    return this.state.done[stage] !== undefined;
  }

  markDone(stage: Stage): void {
    this.state.done[stage] = new Date().toISOString();
    this.writeJson(STATE_FILE, this.state);
  }

  /** Writes JSON atomically (temporary file, then rename). */
  writeJson(name: string, value: unknown): void {
    const file = this.path(name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }

  readJson<T>(name: string): T | undefined {
    const file = this.path(name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

// Drives an engine process line by line for protocol tests: sends commands, waits for replies
// with time-outs, and records every line with its arrival time.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ReceivedLine {
  text: string;
  /** Milliseconds since the process started. */
  at: number;
}

export class EngineDriver {
  readonly lines: ReceivedLine[] = [];
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly started = performance.now();
  private waiters: Array<() => void> = [];
  exitCode: number | null = null;
  private readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], cwd?: string) {
    this.process = spawn(command, args, { cwd });
    createInterface({ input: this.process.stdout }).on("line", (text) => {
      this.lines.push({ text, at: this.now() });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => {
      this.process.on("exit", (code) => {
        this.exitCode = code;
        for (const wake of this.waiters.splice(0)) wake();
        resolve(code);
      });
    });
  }

  now(): number {
    return performance.now() - this.started;
  }

  send(line: string): number {
    this.process.stdin.write(`${line}\n`);
    return this.now();
  }

  closeInput(): void {
    this.process.stdin.end();
  }

  /** Waits for the first line at or after index `from` that matches; throws after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<ReceivedLine> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find((line) => pattern.test(line.text));
      if (found) return found;
      const left = deadline - this.now();
      if (left <= 0 || this.exitCode !== null) {
        throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${this.lines.slice(from).map((l) => l.text).join("\n")}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lines received since index `from` that match. */
  matching(pattern: RegExp, from = 0): ReceivedLine[] {
    return this.lines.slice(from).filter((line) => pattern.test(line.text));
  }

  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  waitForExit(timeoutMs: number): Promise<number | null> {
    return Promise.race([this.exited, new Promise<null>((_, reject) => setTimeout(() => reject(new Error("engine did not exit")), timeoutMs))]);
  }

  kill(): void {
    if (this.exitCode === null) this.process.kill("SIGKILL");
  }
}

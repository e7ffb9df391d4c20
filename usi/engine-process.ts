// An external engine as a child process that takes command lines on stdin and writes lines on
// stdout. It works at the level of lines and parses no USI grammar. Benchmarks and tests use it
// to send lines and wait for expected ones; the USI client passes a line listener instead.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

/** How to start an engine: the executable, its arguments, and optionally its folder and environment. */
export interface EngineCommand {
  command: string;
  args: readonly string[];
  /** Working folder of the process; the parent's when absent. */
  cwd?: string;
  /** Whole environment of the process; the parent's when absent. */
  env?: NodeJS.ProcessEnv;
}

/** Listeners for what the process writes. */
export interface EngineProcessListeners {
  /**
   * Receives each stdout line, without its line end. When it is given, lines are not queued and
   * `waitFor` must not be used.
   */
  onLine?: (line: string) => void;
  /** Receives each stderr line. The last lines are also kept for `recentStderr`. */
  onStderrLine?: (line: string) => void;
}

/** Exit code, or the signal that ended the process. */
export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type EngineProcessErrorCode = "timeout" | "exited";

/** Raised when an expected line does not arrive. */
export class EngineProcessError extends Error {
  constructor(
    readonly code: EngineProcessErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EngineProcessError";
  }
}

interface LineWaiter {
  matches: (line: string) => boolean;
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Milliseconds to wait for a clean exit after `quit` before the process is killed. */
export const DEFAULT_QUIT_TIMEOUT_MS = 5_000;
/** Number of stderr lines kept for error reports. */
export const STDERR_TAIL_LINES = 20;

export class EngineProcess {
  /** Resolves when the process has exited. */
  readonly exit: Promise<EngineExit>;
  private readonly child: ChildProcessWithoutNullStreams;
  /** Lines received and not yet returned by `waitFor`. */
  private unread: string[] = [];
  private waiter: LineWaiter | undefined;
  private exitInfo: EngineExit | undefined;
  private readonly stderrTail: string[] = [];
  private spawnErrorMessage: string | undefined;

  private constructor(engine: EngineCommand, private readonly listeners: EngineProcessListeners) {
    this.child = spawn(engine.command, [...engine.args], { stdio: "pipe", cwd: engine.cwd, env: engine.env });
    let resolveExit: (exit: EngineExit) => void = () => undefined;
    this.exit = new Promise((resolve) => (resolveExit = resolve));

    // "close" comes after stdout has been read to its end, so no line is lost to a waiter.
    this.child.on("close", (code, signal) => this.finish({ code, signal }, resolveExit));
    this.child.on("error", (error) => {
      this.rejectWaiter("exited", `engine ${engine.command} failed: ${error.message}`);
      if (this.child.pid !== undefined) return;
      this.spawnErrorMessage = error.message;
      this.finish({ code: null, signal: null }, resolveExit);
    });
    // A write after the process exited fails with EPIPE. The exit is reported through `exit`.
    this.child.stdin.on("error", () => undefined);
    createInterface({ input: this.child.stderr, crlfDelay: Infinity }).on("line", (line) => this.receiveStderr(line));
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on("line", (line) => this.receive(line));
  }

  /** Spawns the engine with piped stdin, stdout and stderr. */
  static start(engine: EngineCommand, listeners: EngineProcessListeners = {}): EngineProcess {
    return new EngineProcess(engine, listeners);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Exit code and signal of the ended process, or undefined while it runs. */
  get exitStatus(): EngineExit | undefined {
    return this.exitInfo;
  }

  /** The error message when the process could not be started at all (such as ENOENT). */
  get spawnError(): string | undefined {
    return this.spawnErrorMessage;
  }

  /** Returns the last stderr lines, oldest first, at most STDERR_TAIL_LINES of them. */
  recentStderr(): string[] {
    return [...this.stderrTail];
  }

  /** Writes one command line to the engine's stdin. */
  send(line: string): void {
    this.child.stdin.write(line + "\n");
  }

  /** Closes the engine's stdin, so that it reads end-of-file. */
  closeInput(): void {
    this.child.stdin.end();
  }

  /**
   * Resolves with the lines received since the previous call, up to and including the first line
   * that `matches`. Rejects with an EngineProcessError after `timeoutMs` or if the process exits
   * first. Only one call may wait at a time.
   */
  waitFor(matches: (line: string) => boolean, timeoutMs: number): Promise<string[]> {
    if (this.listeners.onLine) throw new Error("waitFor called on a process that passes lines to onLine");
    if (this.waiter) throw new Error("waitFor called while another waitFor is still pending");
    const index = this.unread.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.unread.splice(0, index + 1));
    if (this.exitInfo) return Promise.reject(new EngineProcessError("exited", "engine has already exited"));

    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.rejectWaiter("timeout", `no expected line from the engine within ${timeoutMs} ms`),
        timeoutMs,
      );
      this.waiter = { matches, resolve, reject, timer };
    });
  }

  /**
   * Sends `quit`, closes stdin and waits for the exit. Kills the process if it has not exited
   * within `timeoutMs`.
   */
  async quit(timeoutMs = DEFAULT_QUIT_TIMEOUT_MS): Promise<EngineExit> {
    if (!this.exitInfo) {
      this.send("quit");
      this.closeInput();
    }
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process with SIGKILL unless it has already exited. */
  kill(): void {
    if (!this.exitInfo) this.child.kill("SIGKILL");
  }

  private finish(exit: EngineExit, resolveExit: (exit: EngineExit) => void): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    this.rejectWaiter("exited", `engine exited (code ${exit.code}, signal ${exit.signal})`);
    resolveExit(exit);
  }

  private receive(line: string): void {
    if (this.listeners.onLine) {
      this.listeners.onLine(line);
      return;
    }
    this.unread.push(line);
    const waiter = this.waiter;
    if (!waiter || !waiter.matches(line)) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.resolve(this.unread.splice(0));
  }

  private receiveStderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    this.listeners.onStderrLine?.(line);
  }

  private rejectWaiter(code: EngineProcessErrorCode, message: string): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.reject(new EngineProcessError(code, message));
  }
}

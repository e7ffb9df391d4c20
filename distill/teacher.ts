// A teacher engine driven over USI: one process, restarted when it crashes, stalls or sends an
// illegal move, with each failed search tried again on the fresh process.

import { type PositionSpec, type SearchLimits, type SearchResult, UsiClient } from "../usi/client.js";
import type { EngineFailure } from "../usi/search-result.js";
import { TeacherError } from "./teacher-errors.js";
import type { SearchBudget, TeacherProfile } from "./teacher-profiles.js";
import { toProjectScore } from "./teacher-score.js";

export interface TeacherOptions {
  profile: TeacherProfile;
  budget: SearchBudget;
  /** Milliseconds one search may take before the engine counts as stalled and is restarted. */
  searchTimeoutMs: number;
  /** Attempts at one start or search before TeacherError is thrown; default DEFAULT_MAX_ATTEMPTS. */
  maxAttempts?: number;
  /** File that receives the engine's USI traffic; none when absent. */
  logFile?: string;
  /** Called after each restart, with why the engine was restarted. */
  onRestart?: (restart: TeacherRestart) => void;
}

/** A teacher process replaced after a failure, and the failure. */
export interface TeacherRestart {
  teacher: string;
  /** The failed request's result kind: crash, stall, illegal-move, handshake-timeout, ... */
  reason: string;
  /** Exit status, the offending move, or the engine's last stderr lines. */
  detail: string;
}

/**
 * The teacher's reply for one position. Scores are in the project's scale from the side to move's
 * view, undefined when the engine printed none. `candidates` lists the first move of each
 * principal variation, best first (one entry without MultiPV).
 */
export type TeacherAnswer =
  | { kind: "move"; move: string; score: number | undefined; candidates: string[] }
  | { kind: "resign"; score: number | undefined }
  | { kind: "win"; score: number | undefined };

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_SEARCH_TIMEOUT_MS = 60_000;
/**
 * Time for `usi` to `usiok`. gpsusi needs about 1 s on an idle machine but missed the client's
 * default 10 s three times in a row on a 2-core machine running a dozen engines, so allow more.
 */
const TEACHER_HANDSHAKE_MS = 30_000;
/** Names under which engines declare the number of principal variations. */
const MULTIPV_OPTION_NAMES = ["multipv", "usi_multipv"];

type FailedSearch = Exclude<SearchResult, { kind: "bestmove" }>;

export class Teacher {
  /** Processes replaced after a failure. */
  restarts = 0;
  /** Searches answered. */
  searches = 0;
  private readonly client: UsiClient;
  private readonly limits: SearchLimits;
  private readonly maxAttempts: number;
  /** True once client.start() was called; later starts use restart(). */
  private spawned = false;
  /** True while the engine is up, from a finished handshake to its next failure. */
  private ready = false;
  /** Set by kill(): failures are then reported as "stopped" instead of restarting the engine. */
  private stopped = false;
  private multipv = 1;

  constructor(private readonly options: TeacherOptions) {
    const plan = options.profile.plan(options.budget);
    this.limits = plan.limits;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.client = new UsiClient({
      ...options.profile.command,
      name: options.profile.name,
      options: { ...options.profile.options, ...plan.options },
      logFile: options.logFile,
      timeouts: { handshakeMs: TEACHER_HANDSHAKE_MS },
    });
  }

  get name(): string {
    return this.options.profile.name;
  }

  /** Starts the engine; throws TeacherError "start_failed" when every attempt fails. */
  async start(): Promise<void> {
    let failure: EngineFailure | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      this.throwIfStopped();
      const first = !this.spawned;
      this.spawned = true;
      const result = first ? await this.client.start() : await this.client.restart();
      this.multipv = 1;
      this.throwIfStopped();
      if (result.kind === "ready") {
        this.ready = true;
        return;
      }
      failure = result;
    }
    throw new TeacherError("start_failed", `teacher ${this.name} failed to start ${this.maxAttempts} times; last: ${describeFailure(failure as EngineFailure)}`);
  }

  /** Tells the engine that a new game starts, restarting it when it does not reply. */
  async newGame(): Promise<void> {
    this.throwIfStopped();
    if (!this.ready) await this.start();
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const ready = await this.client.newGame();
      if (ready.kind === "readyok") return;
      this.throwIfStopped();
      await this.replace(ready.kind, describeFailure(ready));
    }
    throw new TeacherError("too_many_failures", `teacher ${this.name} did not get ready for a new game after ${this.maxAttempts} attempts`);
  }

  /**
   * Searches a position within the budget, with `multipv` principal variations. A failed search
   * restarts the engine and runs again; throws TeacherError "too_many_failures" after maxAttempts.
   */
  async search(position: PositionSpec, multipv = 1): Promise<TeacherAnswer> {
    this.throwIfStopped();
    if (!this.ready) await this.start();
    let last = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      this.applyMultipv(multipv);
      const result = await this.client.go(position, this.limits, { stallTimeoutMs: this.options.searchTimeoutMs });
      if (result.kind === "bestmove") {
        this.searches++;
        return this.answer(result);
      }
      this.throwIfStopped();
      last = describeSearchFailure(result);
      await this.replace(result.kind, last);
    }
    const where = `position ${position.sfen ?? "startpos"}${position.moves.length > 0 ? ` moves ${position.moves.join(" ")}` : ""}`;
    throw new TeacherError("too_many_failures", `teacher ${this.name} failed ${this.maxAttempts} searches in a row at ${where}; last: ${last}`);
  }

  /** Sends `quit`, killing the engine when it does not exit in time; safe to call more than once. */
  async close(): Promise<void> {
    this.ready = false;
    if (!this.spawned) return;
    if (this.client.state === "stopped") {
      await this.client.kill();
      return;
    }
    await this.client.quit().catch(() => this.client.kill());
  }

  /** Kills the engine at once, for clean-up after an error or an abort; a running request then throws "stopped". */
  async kill(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    if (this.spawned) await this.client.kill();
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new TeacherError("stopped", `teacher ${this.name} was stopped`);
  }

  /** Replaces the process after a failure and reports why. */
  private async replace(reason: string, detail: string): Promise<void> {
    this.ready = false;
    this.restarts++;
    this.options.onRestart?.({ teacher: this.name, reason, detail });
    await this.start();
    const ready = await this.client.newGame();
    if (ready.kind !== "readyok") throw new TeacherError("start_failed", `teacher ${this.name} restarted but did not get ready: ${describeFailure(ready)}`);
  }

  private applyMultipv(multipv: number): void {
    if (multipv === this.multipv) return;
    const option = this.client.declaredOptions.find((declared) => MULTIPV_OPTION_NAMES.includes(declared.name.toLowerCase()));
    if (!option) throw new TeacherError("no_multipv", `teacher ${this.name} declares no MultiPV option, so it cannot propose several moves; set --random-multipv 0`);
    this.client.setOptions({ [option.name]: multipv });
    this.multipv = multipv;
  }

  private answer(result: Extract<SearchResult, { kind: "bestmove" }>): TeacherAnswer {
    const score = result.score === undefined ? undefined : toProjectScore(result.score, this.options.profile.scoreScale);
    if (result.bestmove === "resign" || result.bestmove === "win") return { kind: result.bestmove, score };
    const candidates: string[] = [];
    for (const info of result.infos) {
      const first = info.pv?.[0];
      if (first !== undefined && !candidates.includes(first)) candidates.push(first);
    }
    if (candidates.length === 0) candidates.push(result.bestmove);
    return { kind: "move", move: result.bestmove, score, candidates };
  }
}

function describeSearchFailure(result: FailedSearch): string {
  switch (result.kind) {
    case "illegal-move":
      return `illegal move '${result.bestmove}' (${result.reason})`;
    case "timeout":
      return `reply after the allowed ${result.allowedMs} ms`;
    default:
      return describeFailure(result);
  }
}

function describeFailure(failure: EngineFailure): string {
  const stderr = failure.stderr.length > 0 ? `; stderr: ${failure.stderr.slice(-3).join(" | ")}` : "";
  if (failure.kind === "crash") {
    const cause = failure.spawnError ?? `exit code ${failure.exit.code}, signal ${failure.exit.signal}`;
    return `crash (${cause})${stderr}`;
  }
  return `${failure.kind} after ${failure.waitedMs} ms${stderr}`;
}

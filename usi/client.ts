// A client that drives one external USI engine process: handshake, options, readiness, searches
// (timed, infinite, ponder, mate), game end, quit and restart.
//
// Every request resolves with a typed result and never rejects because of the engine: a process
// exit becomes `crash`, a missing reply becomes `stall`, `handshake-timeout` or `ready-timeout`
// (the process is killed first), and a bad `bestmove` becomes `illegal-move` or `timeout`.
// Methods throw only when the caller misuses the client, such as starting a second request before
// the first has resolved. Each client owns its process and its optional I/O log, so any number
// of clients may run at once.

import { basename } from "node:path";
import type { Position } from "../shogi/position.js";
import type { EnteringKingRule } from "../shogi/rules.js";
import type { Color } from "../shogi/types.js";
import {
  type ClientState, type ClientTimeouts, DEFAULT_TIMEOUTS, type EngineIdentity, type GoOptions, type QuitResult,
  type ReadyResult, type SearchLimits, type StartResult, type UsiClientConfig,
} from "./client-config.js";
import { type OptionValue, planOptions } from "./client-options.js";
import { type EngineExit, EngineProcess } from "./engine-process.js";
import {
  type EngineLine, type GameResult, type GuiCommand, type InvalidLine, type OptionDeclaration, type UnknownLine,
  formatEngineLine, formatGuiCommand, parseEngineLine,
} from "./grammar.js";
import { IoLog, type IoDirection } from "./io-log.js";
import {
  type EngineFailure, InfoCollector, type MateResult, type PositionSpec, type SearchResult, allowedTimeMs,
  buildPosition, judgeBestMove, judgeCheckmate,
} from "./search-result.js";

export * from "./client-config.js";
export type { OptionValue } from "./client-options.js";
export type { EngineFailure, MateResult, PositionSpec, SearchResult } from "./search-result.js";

type ParsedLine = EngineLine | UnknownLine | InvalidLine;
/** Reads one engine line of an exchange and calls `finish` with the result once it has one. */
type LineHandler<T> = (line: ParsedLine, finish: (result: T) => void) => void;
type TimeoutKind = "stall" | "handshake-timeout" | "ready-timeout";
/** The end of a handshake, with a message for each `id` or `option` line that could not be read. */
type HandshakeDone = { kind: "usiok"; warnings: string[] };

/** One request waiting for its reply. */
interface Exchange {
  timeoutKind: TimeoutKind;
  handle(line: ParsedLine): void;
  /** Resolves the request's promise; later calls do nothing. */
  settle(result: unknown): void;
}

/** The search of the current exchange, for `ponderhit` and `stop`. */
interface RunningSearch {
  /** Set right after the exchange opens. */
  result?: Promise<SearchResult | MateResult>;
  pondering: boolean;
  stopped: boolean;
  startedAt: number;
  ponderhitAt?: number;
  /** Deadline to arm at `ponderhit`. */
  deadlineAfterPonderhitMs?: number;
}

const DEFAULT_ENTERING_KING_RULE: EnteringKingRule = "csa27";

export class UsiClient {
  private engine: EngineProcess | undefined;
  /** Counts processes started, so that lines and exits of a replaced process are ignored. */
  private generation = 0;
  private exchange: Exchange | undefined;
  private search: RunningSearch | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private deadlineArmedAt = 0;
  private log: IoLog | undefined;
  private identity: EngineIdentity = {};
  private declared: OptionDeclaration[] = [];
  private readonly timeouts: ClientTimeouts;
  private readonly label: string;

  constructor(private readonly config: UsiClientConfig) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
    this.label = config.name ?? basename(config.command);
  }

  get state(): ClientState {
    if (!this.engine || this.engine.exitStatus) return "stopped";
    if (this.search) return "searching";
    return this.exchange ? "busy" : "idle";
  }

  /** Options declared in the last handshake. */
  get declaredOptions(): readonly OptionDeclaration[] {
    return this.declared;
  }

  get id(): EngineIdentity {
    return { ...this.identity };
  }

  get pid(): number | undefined {
    return this.engine?.pid;
  }

  /** Starts the process, then runs `usi`, sends the configured options, and waits for `readyok`. */
  async start(): Promise<StartResult> {
    if (this.engine && !this.engine.exitStatus) throw new Error(`engine ${this.label} is already running; use restart()`);
    if (this.config.logFile && !this.log) this.log = new IoLog(this.config.logFile, this.label);
    this.spawnEngine();

    const handshake = await this.handshake();
    if (handshake.kind !== "usiok") return handshake;
    const warnings = [...handshake.warnings, ...this.setOptions(this.config.options ?? {})];
    const ready = await this.isReady();
    if (ready.kind !== "readyok") return ready;
    return { kind: "ready", id: this.id, options: [...this.declared], warnings };
  }

  /** Kills the process if it still runs and starts a new one as `start` does. */
  async restart(): Promise<StartResult> {
    await this.killEngine();
    return this.start();
  }

  /** Sends `setoption` for each value that fits a declared option; returns a warning for each other. */
  setOptions(values: Readonly<Record<string, OptionValue>>): string[] {
    this.requireIdle("setOptions");
    const plan = planOptions(this.declared, values);
    for (const warning of plan.warnings) this.write("#", warning);
    for (const command of plan.commands) this.send(command);
    return plan.warnings;
  }

  /** Sends `isready` and waits for `readyok`. */
  isReady(): Promise<ReadyResult> {
    const failure = this.requireIdle("isReady");
    if (failure) return Promise.resolve(failure);
    const result = this.begin<ReadyResult>("ready-timeout", this.timeouts.readyMs, (line, finish) => {
      if (line.kind === "readyok") finish({ kind: "readyok" });
    });
    this.send({ kind: "isready" });
    return result;
  }

  /** Prepares the engine for a game: `isready`, then `usinewgame` once `readyok` came. */
  async newGame(): Promise<ReadyResult> {
    const ready = await this.isReady();
    if (ready.kind === "readyok") this.send({ kind: "usinewgame" });
    return ready;
  }

  /**
   * Sends `position` and `go`, and resolves at `bestmove`. With `limits.ponder` the search runs
   * until `ponderhit` or `stop`. Throws before sending anything when a move of `position` is
   * illegal.
   */
  go(position: PositionSpec, limits: SearchLimits, options: GoOptions = {}): Promise<SearchResult> {
    const board = buildPosition(position);
    const failure = this.requireIdle("go");
    if (failure) return Promise.resolve(failure);

    const deadlineMs = this.searchDeadlineMs(limits, options, board.turn);
    const search = this.startSearch(limits.ponder === true, limits.infinite ? undefined : deadlineMs);
    // A ponder or infinite search has no deadline until `ponderhit` or `stop`.
    const untilStopped = limits.ponder === true || limits.infinite === true;
    const result = this.begin("stall", untilStopped ? undefined : deadlineMs, this.bestMoveHandler(search, board, options));
    search.result = result;

    this.send({ kind: "position", ...position });
    this.send({ kind: "go", ...limits });
    search.startedAt = performance.now();
    return result;
  }

  /** Sends `go mate` with a time limit in milliseconds and resolves at `checkmate`. */
  goMate(position: PositionSpec, limit: number | "infinite", options: Pick<GoOptions, "stallTimeoutMs"> = {}): Promise<MateResult> {
    const board = buildPosition(position);
    const failure = this.requireIdle("goMate");
    if (failure) return Promise.resolve(failure);

    const deadlineMs = options.stallTimeoutMs ?? (limit === "infinite" ? undefined : limit + this.timeouts.stallGraceMs);
    const search = this.startSearch(false, undefined);
    const result = this.begin("stall", deadlineMs, this.checkmateHandler(search, board));
    search.result = result;

    this.send({ kind: "position", ...position });
    this.send({ kind: "go", mate: limit });
    search.startedAt = performance.now();
    return result;
  }

  /**
   * Sends `ponderhit`, turning a running `go ponder` into a normal search. Returns false when no
   * ponder search runs, which includes one that the engine already ended with `bestmove`.
   */
  ponderhit(): boolean {
    const search = this.search;
    if (!search || !search.pondering || search.stopped) return false;
    search.pondering = false;
    this.send({ kind: "ponderhit" });
    search.ponderhitAt = performance.now();
    this.armDeadline(search.deadlineAfterPonderhitMs);
    return true;
  }

  /** Sends `stop` to a running search and resolves with its result, or with undefined when none runs. */
  stop(): Promise<SearchResult | MateResult | undefined> {
    const search = this.search;
    if (!search?.result) return Promise.resolve(undefined);
    if (!search.stopped) {
      search.stopped = true;
      search.pondering = false;
      this.send({ kind: "stop" });
      this.armDeadline(this.timeouts.stopMs);
    }
    return search.result;
  }

  /** Stops a running search (its reply is dropped) and sends `gameover`. */
  async gameover(result: GameResult): Promise<void> {
    if (this.search) await this.stop();
    if (this.state === "idle") this.send({ kind: "gameover", result });
  }

  /**
   * Stops a running search, sends `quit`, closes stdin, and kills the process if it has not
   * exited within the quit time-out. Closes the I/O log.
   */
  async quit(): Promise<QuitResult> {
    if (this.search) await this.stop();
    const engine = this.engine;
    if (!engine) throw new Error(`quit called before start() on engine ${this.label}`);
    let killed = false;
    if (!engine.exitStatus) {
      this.send({ kind: "quit" });
      engine.closeInput();
      const timer = setTimeout(() => {
        killed = true;
        this.write("#", `no exit within ${this.timeouts.quitMs} ms after quit; killing`);
        engine.kill();
      }, this.timeouts.quitMs);
      await engine.exit;
      clearTimeout(timer);
    }
    this.closeLog();
    return { exit: engine.exitStatus as EngineExit, killed };
  }

  /** Kills the process at once (for clean-up) and closes the I/O log; returns how it ended. */
  async kill(): Promise<EngineExit | undefined> {
    await this.killEngine();
    this.closeLog();
    return this.engine?.exitStatus;
  }

  /** Sends `usi` and records `id` and `option` lines until `usiok`. */
  private handshake(): Promise<HandshakeDone | EngineFailure> {
    const warnings: string[] = [];
    const result = this.begin<HandshakeDone>("handshake-timeout", this.timeouts.handshakeMs, (line, finish) => {
      if (line.kind === "id") this.identity[line.field] = line.value;
      else if (line.kind === "option") this.declared.push(line);
      else if (line.kind === "invalid") warnings.push(`ignored invalid line '${line.text}': ${line.reason}`);
      else if (line.kind === "usiok") finish({ kind: "usiok", warnings });
    });
    this.send({ kind: "usi" });
    return result;
  }

  private spawnEngine(): void {
    const generation = ++this.generation;
    this.identity = {};
    this.declared = [];
    const engine = EngineProcess.start(this.config, {
      onLine: (line) => this.receive(generation, line),
      onStderrLine: (line) => {
        if (generation === this.generation) this.write("!", line);
      },
    });
    this.engine = engine;
    this.write("#", `started ${[this.config.command, ...this.config.args].join(" ")} as pid ${engine.pid}`);
    void engine.exit.then((exit) => this.onExit(generation, exit));
  }

  private receive(generation: number, text: string): void {
    if (generation !== this.generation) return;
    this.write("<", text);
    this.exchange?.handle(parseEngineLine(text));
  }

  private onExit(generation: number, exit: EngineExit): void {
    if (generation !== this.generation) return;
    const spawnError = this.engine?.spawnError;
    this.write("#", spawnError ? `failed to start: ${spawnError}` : `exited with code ${exit.code}, signal ${exit.signal}`);
    const exchange = this.exchange;
    this.detachExchange();
    exchange?.settle(this.crashReport());
  }

  private crashReport(): EngineFailure {
    const engine = this.engine as EngineProcess;
    const report: EngineFailure = { kind: "crash", exit: engine.exitStatus ?? { code: null, signal: null }, stderr: engine.recentStderr() };
    if (engine.spawnError !== undefined) report.spawnError = engine.spawnError;
    return report;
  }

  /**
   * Checks that a new request may start. Throws on misuse; returns the crash report when the
   * engine has exited, so that the caller gets it as the request's result.
   */
  private requireIdle(operation: string): EngineFailure | undefined {
    if (!this.engine) throw new Error(`${operation} called before start() on engine ${this.label}`);
    if (this.exchange) throw new Error(`${operation} called while engine ${this.label} is still busy with a request`);
    return this.engine.exitStatus ? this.crashReport() : undefined;
  }

  /** Returns the stall deadline: the allowed time (or the clock's) plus a grace, or the untimed default. */
  private searchDeadlineMs(limits: SearchLimits, options: GoOptions, turn: Color): number {
    if (options.stallTimeoutMs !== undefined) return options.stallTimeoutMs;
    const budgetMs = options.allowedMs ?? allowedTimeMs(limits, turn);
    return budgetMs === undefined ? this.timeouts.untimedSearchMs : budgetMs + this.timeouts.stallGraceMs;
  }

  private startSearch(pondering: boolean, deadlineAfterPonderhitMs: number | undefined): RunningSearch {
    const search: RunningSearch = { pondering, stopped: false, startedAt: performance.now(), deadlineAfterPonderhitMs };
    this.search = search;
    return search;
  }

  /** Collects `info` lines and judges the `bestmove` that ends the search. */
  private bestMoveHandler(search: RunningSearch, board: Position, options: GoOptions): LineHandler<SearchResult> {
    const collector = new InfoCollector();
    const rule = options.enteringKingRule ?? DEFAULT_ENTERING_KING_RULE;
    return (line, finish) => {
      if (line.kind === "info") collector.add(line);
      if (line.kind !== "bestmove" && !(line.kind === "invalid" && line.keyword === "bestmove")) return;

      const report = collector.report(...this.searchTimes(search));
      if (line.kind === "bestmove") {
        // A stopped search was asked to end now, so its reply is never late.
        const allowedMs = search.stopped ? undefined : options.allowedMs;
        finish(judgeBestMove(line.move, line.ponder, { position: board, rule, allowedMs }, report));
      } else {
        const text = line.text.split(/\s+/)[1] ?? "";
        finish({ kind: "illegal-move", bestmove: text, reason: "malformed", ...report });
      }
    };
  }

  /** Collects `info` lines and checks the `checkmate` reply; any other reply is a protocol error. */
  private checkmateHandler(search: RunningSearch, board: Position): LineHandler<MateResult> {
    const collector = new InfoCollector();
    return (line, finish) => {
      if (line.kind === "info") {
        collector.add(line);
      } else if (line.kind === "checkmate") {
        const [elapsedMs] = this.searchTimes(search);
        finish(judgeCheckmate(line, board, elapsedMs, collector.report(elapsedMs, undefined).infos));
      } else if (line.kind === "bestmove" || (line.kind === "invalid" && line.keyword === "checkmate")) {
        const text = line.kind === "invalid" ? line.text : formatEngineLine(line);
        finish({ kind: "protocol-error", text, reason: "expected a checkmate reply to go mate" });
      }
    };
  }

  /** Milliseconds since `go` and since `ponderhit` (undefined without one), rounded. */
  private searchTimes(search: RunningSearch): [number, number | undefined] {
    const now = performance.now();
    const sincePonderhit = search.ponderhitAt === undefined ? undefined : Math.round(now - search.ponderhitAt);
    return [Math.round(now - search.startedAt), sincePonderhit];
  }

  /**
   * Opens an exchange: `handle` receives each engine line and calls `finish` with the result. The
   * exchange ends early with a crash report on exit, or with a `timeoutKind` failure after
   * `deadlineMs` (the process is killed first).
   */
  private begin<T>(timeoutKind: TimeoutKind, deadlineMs: number | undefined, handle: LineHandler<T>): Promise<T | EngineFailure> {
    return new Promise((resolve) => {
      let settled = false;
      const exchange: Exchange = {
        timeoutKind,
        handle: (line) => handle(line, (result) => this.finishExchange(exchange, result)),
        settle: (result) => {
          if (settled) return;
          settled = true;
          resolve(result as T | EngineFailure);
        },
      };
      this.exchange = exchange;
      this.armDeadline(deadlineMs);
    });
  }

  private finishExchange(exchange: Exchange, result: unknown): void {
    if (this.exchange === exchange) this.detachExchange();
    exchange.settle(result);
  }

  private detachExchange(): void {
    this.exchange = undefined;
    this.search = undefined;
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** Replaces the deadline of the current exchange; none when `deadlineMs` is undefined. */
  private armDeadline(deadlineMs: number | undefined): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    if (deadlineMs === undefined) return;
    this.deadlineArmedAt = performance.now();
    this.deadline = setTimeout(() => void this.expire(), deadlineMs);
  }

  private async expire(): Promise<void> {
    const exchange = this.exchange;
    if (!exchange) return;
    const waitedMs = Math.round(performance.now() - this.deadlineArmedAt);
    this.detachExchange();
    this.write("#", `no reply within ${waitedMs} ms (${exchange.timeoutKind}); killing the engine`);
    await this.killEngine();
    exchange.settle({ kind: exchange.timeoutKind, waitedMs, stderr: this.engine?.recentStderr() ?? [] });
  }

  private async killEngine(): Promise<void> {
    const engine = this.engine;
    if (!engine || engine.exitStatus) return;
    engine.kill();
    await engine.exit;
  }

  private send(command: GuiCommand): void {
    const line = formatGuiCommand(command);
    this.write(">", line);
    this.engine?.send(line);
  }

  private write(direction: IoDirection, text: string): void {
    this.log?.write(direction, text);
  }

  private closeLog(): void {
    this.log?.close();
    this.log = undefined;
  }
}

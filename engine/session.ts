// The USI session on the main thread: reads GUI commands, keeps the position and options, and
// drives the search worker. It guarantees one `bestmove` per `go` (one `checkmate` per `go mate`),
// keeps a ponder or infinite search's `bestmove` until `stop` or `ponderhit`, and replies to
// malformed input with `info string` instead of failing.

import { type GoParams, type GuiCommand, formatEngineLine, parseGuiCommand } from "../usi/grammar.js";
import { Position } from "../shogi/position.js";
import { START_SFEN } from "../shogi/sfen.js";
import { MOVE_NONE } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import { DEFAULT_SETTINGS, type EngineSettings, applyOption, optionDeclarations } from "./options.js";
import {
  CONTROL_PONDERHIT, CONTROL_PONDERHIT_CLOCK, CONTROL_STOP, type FromWorker, type ToWorker, writePonderhitClock,
} from "./worker-protocol.js";

export const ENGINE_NAME = "shogi-lab 0.1.0";
export const ENGINE_AUTHOR = "shogi-lab developers";

export interface WorkerChannel {
  post(message: ToWorker): void;
}

interface RunningSearch {
  id: number;
  mode: "search" | "mate";
  ponder: boolean;
  infinite: boolean;
  stopRequested: boolean;
  ponderhit: boolean;
  /** A `bestmove` that arrived while the GUI still expects the search to run. */
  held?: string;
}

export class UsiSession {
  readonly settings: EngineSettings = { ...DEFAULT_SETTINGS };
  private sfen = START_SFEN;
  private moves: string[] = [];
  private running: RunningSearch | null = null;
  private nextId = 1;
  private loadedKey: string | null = null;
  private readyWaiting = 0;

  constructor(
    private readonly output: (line: string) => void,
    private readonly worker: WorkerChannel,
    private readonly control: Int32Array,
    private readonly engineRoot: string,
  ) {}

  /** Handles one line from the GUI; returns "quit" when the engine should exit. */
  handleLine(line: string): "quit" | undefined {
    if (line.trim() === "") return undefined;
    const command = parseGuiCommand(line);
    if (command.kind === "unknown") {
      this.infoString(`unknown command: ${line.trim()}`);
      return undefined;
    }
    if (command.kind === "invalid") {
      this.infoString(`invalid command "${line.trim()}": ${command.reason}`);
      return undefined;
    }
    return this.dispatch(command);
  }

  private dispatch(command: GuiCommand): "quit" | undefined {
    switch (command.kind) {
      case "usi":
        this.sendIdentity();
        break;
      case "setoption": {
        const problem = applyOption(this.settings, command.name, command.value);
        if (problem) this.infoString(problem);
        break;
      }
      case "isready":
        this.isReady();
        break;
      case "usinewgame":
        this.worker.post({ type: "newgame" });
        break;
      case "position":
        this.setPosition(command.sfen ?? START_SFEN, command.moves);
        break;
      case "go":
        this.go(command);
        break;
      case "stop":
        this.stop();
        break;
      case "ponderhit":
        this.ponderhit(command);
        break;
      case "gameover":
        this.stop();
        break;
      case "quit":
        this.stop();
        return "quit";
    }
    return undefined;
  }

  /** Handles a message of the search worker. */
  handleWorker(message: FromWorker): void {
    switch (message.type) {
      case "ready":
        this.onReady(message);
        return;
      case "info":
        if (this.running?.id === message.id) this.output(message.line);
        return;
      case "bestmove":
      case "checkmate":
        if (this.running?.id === message.id) this.finish(message.line);
        return;
      case "error":
        this.onWorkerError(message.message);
        return;
    }
  }

  private sendIdentity(): void {
    this.output(formatEngineLine({ kind: "id", field: "name", value: ENGINE_NAME }));
    this.output(formatEngineLine({ kind: "id", field: "author", value: ENGINE_AUTHOR }));
    for (const option of optionDeclarations()) this.output(formatEngineLine(option));
    this.output(formatEngineLine({ kind: "usiok" }));
  }

  private isReady(): void {
    if (this.running !== null || this.loadedKey === this.loadKey()) {
      this.output(formatEngineLine({ kind: "readyok" }));
      return;
    }
    this.requestLoad();
    this.readyWaiting++;
  }

  private loadKey(): string {
    const { evalFile, hashMb, searchMode, evalDevice, evalThreads } = this.settings;
    // The tree search opens its own ONNX Runtime session, so its device and threads need a load too.
    const tree = searchMode === "mcts" ? `\n${evalDevice}\n${evalThreads}` : "";
    return `${evalFile}\n${hashMb}${tree}`;
  }

  private requestLoad(): void {
    this.loadedKey = this.loadKey();
    this.worker.post({ type: "load", settings: { ...this.settings }, engineRoot: this.engineRoot });
  }

  private onReady(message: Extract<FromWorker, { type: "ready" }>): void {
    if (message.warning) this.infoString(message.warning);
    this.infoString(`evaluation: ${message.evaluator}`);
    for (; this.readyWaiting > 0; this.readyWaiting--) this.output(formatEngineLine({ kind: "readyok" }));
  }

  private setPosition(sfen: string, moves: string[]): void {
    let pos: Position;
    try {
      pos = Position.fromSfen(sfen);
    } catch (error) {
      this.infoString(`invalid position: ${error instanceof Error ? error.message : String(error)}; keeping the previous position`);
      return;
    }
    // Plays the moves once in order, because a replay from the start per move is quadratic in long games.
    const legal: string[] = [];
    for (const text of moves) {
      const move = parseUsiMove(pos, text);
      if (move === MOVE_NONE) {
        this.infoString(`illegal move ${text} after ${legal.length} moves; the position stops before it`);
        break;
      }
      pos.doMove(move);
      legal.push(text);
    }
    this.sfen = sfen;
    this.moves = legal;
  }

  private go(go: GoParams): void {
    if (this.running !== null) {
      this.infoString("go ignored: a search is already running; send stop first");
      return;
    }
    if (this.loadedKey !== this.loadKey()) this.requestLoad();
    Atomics.store(this.control, CONTROL_STOP, 0);
    Atomics.store(this.control, CONTROL_PONDERHIT, 0);
    Atomics.store(this.control, CONTROL_PONDERHIT_CLOCK, 0);
    const id = this.nextId++;
    const mate = go.mate !== undefined;
    this.running = {
      id, mode: mate ? "mate" : "search", ponder: go.ponder === true, infinite: go.infinite === true || go.mate === "infinite",
      stopRequested: false, ponderhit: false,
    };
    if (mate) {
      const timeMs = typeof go.mate === "number" ? go.mate : undefined;
      this.worker.post({ type: "mate", id, sfen: this.sfen, moves: this.moves, timeMs });
      return;
    }
    this.worker.post({ type: "go", id, sfen: this.sfen, moves: this.moves, go, settings: { ...this.settings } });
  }

  private stop(): void {
    const running = this.running;
    if (running === null) return;
    running.stopRequested = true;
    Atomics.store(this.control, CONTROL_STOP, 1);
    if (running.held !== undefined) this.finish(running.held);
  }

  private ponderhit(clock: GoParams): void {
    const running = this.running;
    if (running === null || !running.ponder) return;
    running.ponderhit = true;
    writePonderhitClock(this.control, clock);
    Atomics.store(this.control, CONTROL_PONDERHIT, 1);
    if (running.held !== undefined) this.finish(running.held);
  }

  /** Sends the final line of a search, or keeps it back while the GUI still expects the search to run. */
  private finish(line: string): void {
    const running = this.running;
    if (running === null) return;
    const mustWait = running.mode === "search" && !running.stopRequested &&
      ((running.ponder && !running.ponderhit) || (running.infinite && !running.ponder));
    if (mustWait) {
      running.held = line;
      return;
    }
    this.running = null;
    this.output(line);
  }

  /** Replies to the pending command after the search worker died and a new one was started. */
  workerLost(reason: string): void {
    this.loadedKey = null;
    this.onWorkerError(reason);
    if (this.readyWaiting > 0) this.requestLoad();
  }

  private onWorkerError(message: string): void {
    this.infoString(`search failed: ${message}`);
    const running = this.running;
    if (running === null) return;
    const line = running.mode === "mate" ? "checkmate timeout" : "bestmove resign";
    running.stopRequested = true;
    this.finish(line);
  }

  private infoString(text: string): void {
    this.output(formatEngineLine({ kind: "info", string: text }));
  }
}

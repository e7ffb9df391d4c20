// The work of the search worker: builds the position of a `go`, runs the search under the time
// budget, and reports `info` and `bestmove` lines. It runs inside a worker thread, so the session
// on the main thread keeps reading stdin; it learns of `stop` and `ponderhit` from the shared
// control block, which it polls while searching.

import path from "node:path";
import { legalMoves } from "../shogi/movegen.js";
import { Position } from "../shogi/position.js";
import { canDeclareWin } from "../shogi/rules.js";
import { type Move, MOVE_NONE } from "../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../shogi/usi-move.js";
import { type CheckmateLine, type ClockParams, type GoParams, type Score, formatEngineLine } from "../usi/grammar.js";
import { solveMate } from "./mate.js";
import { BookProbe } from "./book.js";
import { type Evaluator, MaterialEvaluator } from "./evaluator.js";
import { loadEvaluator } from "./load-evaluator.js";
import { MctsRunner } from "./mcts-runner.js";
import type { EngineSettings } from "./options.js";
import { VALUE_MATE, isMateScore } from "./score.js";
import { type RootLine, type SearchLimits, type SearchProgress, Searcher } from "./search.js";
import { allocateTime } from "./time.js";
import { TranspositionTable } from "./tt.js";
import { CONTROL_PONDERHIT, CONTROL_STOP, type FromWorker, type ToWorker, readPonderhitClock } from "./worker-protocol.js";

/** Minimum milliseconds between two `info` lines during a timed search (infinite searches print all). */
const INFO_INTERVAL_MS = 200;
/** Largest hash table of the mate solver, in MiB; the search's USI_Hash may be larger. */
const MATE_HASH_MAX_MB = 256;
/** Iterations up to this depth always print, so a GUI sees a line at once. */
const INFO_ALWAYS_DEPTH = 4;

type GoMessage = Extract<ToWorker, { type: "go" }>;
type MateMessage = Extract<ToWorker, { type: "mate" }>;

export class SearchRunner {
  private tt: TranspositionTable;
  private hashMb: number;
  private evaluator: Evaluator = new MaterialEvaluator();
  private searcher: Searcher;
  private readonly mcts: MctsRunner;
  private readonly book = new BookProbe();

  constructor(
    private readonly control: Int32Array,
    private readonly post: (message: FromWorker) => void,
    hashMb: number,
  ) {
    this.mcts = new MctsRunner(control, post);
    this.hashMb = hashMb;
    this.tt = new TranspositionTable(hashMb);
    this.searcher = new Searcher(this.tt, this.evaluator);
  }

  /** Loads the model named by EvalFile; falls back to material evaluation with a warning on failure. */
  async load(settings: EngineSettings, engineRoot: string): Promise<void> {
    this.resizeHash(settings.hashMb);
    this.book.root = engineRoot;
    let warning: string | undefined;
    try {
      const file = settings.evalFile === "material" ? "material" : path.resolve(engineRoot, settings.evalFile);
      this.evaluator = await loadEvaluator(file);
    } catch (error) {
      warning = `${error instanceof Error ? error.message : String(error)}; playing with material evaluation`;
      this.evaluator = new MaterialEvaluator();
    }
    this.searcher = new Searcher(this.tt, this.evaluator);
    let evaluator = this.evaluator.name;
    if (settings.searchMode === "mcts") {
      const tree = await this.mcts.load(settings, engineRoot);
      evaluator = `${evaluator}; ${tree.description}`;
      warning = [warning, tree.warning].filter((text) => text !== undefined).join("; ") || undefined;
    }
    this.post({ type: "ready", evaluator, warning });
  }

  newGame(): void {
    this.tt.clear();
    this.searcher.tables.clear();
    this.mcts.newGame();
  }

  /** Searches a `go`; the tree search (SearchMode mcts) returns a promise, alpha-beta finishes before returning. */
  go(message: GoMessage): void | Promise<void> {
    const pos = replay(message.sfen, message.moves);
    const settings = message.settings;
    this.resizeHash(settings.hashMb);
    if (canDeclareWin(pos, settings.enteringKingRule)) {
      this.post({ type: "bestmove", id: message.id, line: formatEngineLine({ kind: "bestmove", move: "win" }) });
      return;
    }
    if (legalMoves(pos).length === 0) {
      this.sendInfo(message.id, { kind: "info", depth: 0, score: { kind: "mate", plies: -0 } });
      this.post({ type: "bestmove", id: message.id, line: formatEngineLine({ kind: "bestmove", move: "resign" }) });
      return;
    }
    const book = this.book.probe(pos, settings);
    for (const line of book.info) this.post({ type: "info", id: message.id, line });
    if (book.bestmove !== null) return this.post({ type: "bestmove", id: message.id, line: book.bestmove });
    if (settings.searchMode === "mcts") return this.treeSearch(pos, message);
    this.search(pos, message);
  }

  /** Runs the tree search; if it fails before its `bestmove`, alpha-beta searches the move instead. */
  private async treeSearch(pos: Position, message: GoMessage): Promise<void> {
    try {
      await this.mcts.go(pos, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.sendInfo(message.id, { kind: "info", string: `tree search failed (${reason}); searching with alpha-beta` });
      this.search(replay(message.sfen, message.moves), message);
    }
  }

  /** Replies to `go mate` with the df-pn solver: a mating line, nomate, or timeout. */
  mate(message: MateMessage): void {
    const pos = replay(message.sfen, message.moves);
    const result = solveMate(pos, {
      timeMs: message.timeMs,
      hashMb: Math.min(this.hashMb, MATE_HASH_MAX_MB),
      shouldStop: () => Atomics.load(this.control, CONTROL_STOP) !== 0,
    });
    const line: CheckmateLine = result.kind === "mate"
      ? { kind: "checkmate", result: "mate", moves: result.moves.map(makeUsiMove) }
      : { kind: "checkmate", result: result.kind };
    this.post({ type: "checkmate", id: message.id, line: formatEngineLine(line) });
  }

  private search(pos: Position, message: GoMessage): void {
    const { go, settings } = message;
    const limits = searchLimits(pos, go, settings);
    let pondering = go.ponder === true;
    let lastInfo = -Infinity;
    const poll = (): boolean => {
      if (Atomics.load(this.control, CONTROL_STOP) !== 0) return true;
      if (pondering && Atomics.load(this.control, CONTROL_PONDERHIT) !== 0) {
        pondering = false;
        const budget = allocateTime(pos.turn, readPonderhitClock(this.control) ?? go, timeOptions(settings));
        if (budget) this.searcher.setDeadlinesFromNow(budget.softMs, budget.hardMs);
      }
      return false;
    };
    const onProgress = (progress: SearchProgress): void => {
      const depth = progress.lines[0].depth;
      if (!go.infinite && depth > INFO_ALWAYS_DEPTH && progress.ms - lastInfo < INFO_INTERVAL_MS) return;
      lastInfo = progress.ms;
      this.sendProgress(message.id, progress, settings.multiPV > 1);
    };
    const result = this.searcher.search(pos, limits, onProgress, poll);
    const best = result.bestMove === MOVE_NONE ? legalMoves(pos)[0] : result.bestMove;
    this.sendInfo(message.id, {
      kind: "info", depth: result.depth, nodes: result.nodes, time: Math.round(result.ms),
      nps: Math.round((result.nodes * 1000) / Math.max(result.ms, 1)), hashfull: this.tt.hashfull(),
      score: usiScoreOf(result.score), pv: result.pv.length > 0 ? result.pv.map(makeUsiMove) : [makeUsiMove(best)],
    });
    const ponder = legalPonder(pos, best, result.ponderMove);
    this.post({ type: "bestmove", id: message.id, line: formatEngineLine({ kind: "bestmove", move: makeUsiMove(best), ponder }) });
  }

  private sendProgress(id: number, progress: SearchProgress, withMultiPV: boolean): void {
    const nps = Math.round((progress.nodes * 1000) / Math.max(progress.ms, 1));
    for (const line of progress.lines) {
      this.sendInfo(id, {
        kind: "info", depth: line.depth, seldepth: line.selDepth, time: Math.round(progress.ms), nodes: progress.nodes, nps,
        hashfull: progress.hashfull, multipv: withMultiPV ? line.multipv : undefined, score: usiScoreOf(line.score, line),
        pv: line.pv.map(makeUsiMove),
      });
    }
  }

  private sendInfo(id: number, info: Parameters<typeof formatEngineLine>[0]): void {
    this.post({ type: "info", id, line: formatEngineLine(info) });
  }

  private resizeHash(hashMb: number): void {
    if (hashMb === this.hashMb) return;
    this.hashMb = hashMb;
    this.tt.resize(hashMb);
  }
}

/** Builds the position of `position sfen ... moves ...`, keeping the history for repetitions. */
export function replay(sfen: string, moves: string[]): Position {
  const pos = Position.fromSfen(sfen);
  for (const text of moves) {
    const move = parseUsiMove(pos, text);
    if (move === MOVE_NONE) throw new Error(`illegal move ${text} in ${pos.sfen()}`);
    pos.doMove(move);
  }
  return pos;
}

function timeOptions(settings: EngineSettings): { networkDelayMs: number; minimumThinkingMs: number } {
  return { networkDelayMs: settings.networkDelay, minimumThinkingMs: settings.minimumThinkingTime };
}

function searchLimits(pos: Position, go: GoParams, settings: EngineSettings): SearchLimits {
  const limits: SearchLimits = {
    depth: go.depth ?? (settings.depthLimit > 0 ? settings.depthLimit : undefined),
    nodes: go.nodes ?? (settings.nodesLimit > 0 ? settings.nodesLimit : undefined),
    multiPV: settings.multiPV,
    searchMoves: go.searchmoves?.map((text) => parseUsiMove(pos, text)).filter((move) => move !== MOVE_NONE),
    drawAtPly: settings.maxMovesToDraw > 0 ? settings.maxMovesToDraw : undefined,
  };
  if (go.ponder || go.infinite) return limits;
  const budget = allocateTime(pos.turn, go satisfies ClockParams, timeOptions(settings));
  return budget ? { ...limits, softMs: budget.softMs, hardMs: budget.hardMs } : limits;
}

function usiScoreOf(score: number, line?: RootLine): Score {
  const bound = line && line.bound !== "exact" ? line.bound : undefined;
  if (!isMateScore(score)) return { kind: "cp", value: score, bound };
  const plies = score > 0 ? VALUE_MATE - score : -(VALUE_MATE + score);
  return { kind: "mate", plies, bound };
}

/** Returns the ponder move as USI text when it is legal after the best move, else undefined. */
function legalPonder(pos: Position, best: Move, ponder: Move): string | undefined {
  if (ponder === MOVE_NONE) return undefined;
  pos.doMove(best);
  const legal = parseUsiMove(pos, makeUsiMove(ponder)) !== MOVE_NONE;
  pos.undoMove();
  return legal ? makeUsiMove(ponder) : undefined;
}

// The tree search inside the search worker (SearchMode mcts). It opens the leaf evaluator, turns a
// `go` into limits and keeps the subtree of the moves played between two `go`s. While searching it
// polls the shared control block for `stop` and `ponderhit`, and it reports `info` and `bestmove`.

import path from "node:path";
import type { Position } from "../shogi/position.js";
import { MOVE_NONE, type Move } from "../shogi/types.js";
import { makeUsiMove, parseUsiMove, parseUsiMoveText } from "../shogi/usi-move.js";
import { formatEngineLine } from "../usi/grammar.js";
import { type LeafEvaluator, defaultBatchSize, openLeafEvaluator } from "./mcts-eval.js";
import type { LeafRules } from "./mcts-expand.js";
import { MctsNode, NODE_EXPANDED, findChild } from "./mcts-node.js";
import { reportedLines } from "./mcts-report.js";
import { type MctsHooks, type MctsLimits, type MctsOutcome, MctsSearch, type MctsStats } from "./mcts-search.js";
import type { EngineSettings } from "./options.js";
import { type TimeOptions, allocateTime } from "./time.js";
import { CONTROL_PONDERHIT, CONTROL_STOP, type FromWorker, type ToWorker, readPonderhitClock } from "./worker-protocol.js";

type GoMessage = Extract<ToWorker, { type: "go" }>;

/** Minimum milliseconds between two `info` lines while searching. The first batch always prints. */
const INFO_INTERVAL_MS = 200;
const BYTES_PER_MIB = 1 << 20;
const MATERIAL = "material";

/** The tree of the last search, kept for the next `go` when its position extends this one. */
export interface KeptTree {
  sfen: string;
  moves: string[];
  root: MctsNode;
  /** Settings that change values in the tree; a different key discards it. */
  key: string;
  /** Estimated memory of the tree in bytes. */
  bytes: number;
}

export interface LoadReport {
  /** Evaluator and device, for the `info string` after `readyok`. */
  description: string;
  warning?: string;
  /** Whether this call opened the evaluator, or found it open already. */
  opened: boolean;
}

export class MctsRunner {
  private evaluator: LeafEvaluator | null = null;
  private evaluatorKey = "";
  private search: MctsSearch | null = null;
  private tree: KeptTree | null = null;
  private engineRoot = process.cwd();

  constructor(
    private readonly control: Int32Array,
    private readonly post: (message: FromWorker) => void,
  ) {}

  /**
   * Opens the evaluator that the settings name (model, device, threads) unless it is open already.
   * A model that cannot be opened leaves material scores in its place, with a warning.
   */
  async load(settings: EngineSettings, engineRoot: string): Promise<LoadReport> {
    this.engineRoot = engineRoot;
    const model = settings.evalFile === MATERIAL ? MATERIAL : path.resolve(engineRoot, settings.evalFile);
    const key = `${model}\n${settings.evalDevice}\n${settings.evalThreads}`;
    let warning: string | undefined;
    const opened = this.evaluator === null || key !== this.evaluatorKey;
    if (opened) {
      await this.close();
      try {
        this.evaluator = await openLeafEvaluator({ model, device: settings.evalDevice, threads: settings.evalThreads });
      } catch (error) {
        warning = `${error instanceof Error ? error.message : String(error)}; the tree search uses material scores`;
        this.evaluator = await openLeafEvaluator({ model: MATERIAL, device: "cpu", threads: 1 });
      }
      this.evaluatorKey = key;
      this.search = new MctsSearch(this.evaluator);
    }
    const evaluator = this.evaluator!;
    if (evaluator.fallbackReason !== undefined) warning = `EvalDevice ${settings.evalDevice}: ${evaluator.fallbackReason}`;
    const batch = settings.batchSize > 0 ? settings.batchSize : defaultBatchSize(evaluator.device);
    return { description: `tree search with ${evaluator.name} on ${evaluator.device}, batch ${batch}`, warning, opened };
  }

  newGame(): void {
    this.tree = null;
  }

  async close(): Promise<void> {
    this.tree = null;
    this.search = null;
    const evaluator = this.evaluator;
    this.evaluator = null;
    await evaluator?.close();
  }

  /** Searches the position of a `go` and posts its `info` lines and exactly one `bestmove`. */
  async go(pos: Position, message: GoMessage): Promise<void> {
    const { settings } = message;
    const loaded = await this.load(settings, this.engineRoot);
    if (loaded.opened && loaded.warning !== undefined) this.infoString(message.id, loaded.warning);
    const search = this.search!;
    const treeKey = `${this.evaluatorKey}\n${settings.enteringKingRule}\n${settings.maxMovesToDraw}`;
    const limits = searchLimits(pos, message, settings, this.evaluator!);
    const rules: LeafRules = { enteringKingRule: settings.enteringKingRule, drawAtPly: settings.maxMovesToDraw > 0 ? settings.maxMovesToDraw : undefined };
    const root = this.takeRoot(message, treeKey);
    let outcome: MctsOutcome;
    try {
      outcome = await search.search(pos, root.node, { ...limits, keptBytes: root.bytes }, rules, this.hooks(pos, message, search));
    } catch (error) {
      // A failed evaluator (its thread died, say) is opened afresh on the next `go`.
      await this.close();
      throw error;
    }
    this.tree = { sfen: message.sfen, moves: message.moves, root: outcome.root, key: treeKey, bytes: outcome.stats.treeBytes };
    if (outcome.reason === "memory") {
      this.infoString(message.id, `the search tree reached its memory budget (USI_Hash ${settings.hashMb} MiB) and the search stopped early`);
    }
    this.sendLines(message.id, outcome, outcome.stats, settings.multiPV);
    const ponder = outcome.pv.length > 1 ? makeUsiMove(outcome.pv[1]) : undefined;
    this.post({ type: "bestmove", id: message.id, line: formatEngineLine({ kind: "bestmove", move: makeUsiMove(outcome.bestMove), ponder }) });
  }

  /** Returns the search's hooks: the control-block poll, and `info` lines at most every INFO_INTERVAL_MS. */
  private hooks(pos: Position, message: GoMessage, search: MctsSearch): MctsHooks {
    let lastInfo = -Infinity;
    return {
      shouldStop: this.pollControl(pos, message, search),
      onBatch: () => {
        const stats = search.snapshot();
        if (stats.ms - lastInfo < INFO_INTERVAL_MS) return;
        lastInfo = stats.ms;
        this.sendLines(message.id, search.outcome(), stats, message.settings.multiPV);
      },
    };
  }

  private infoString(id: number, text: string): void {
    this.post({ type: "info", id, line: formatEngineLine({ kind: "info", string: text }) });
  }

  /**
   * Returns the kept subtree at the new position when it extends the last searched one, else a
   * new root, with its memory estimated from its share of the kept tree's visits.
   */
  private takeRoot(message: GoMessage, key: string): { node: MctsNode; bytes: number } {
    const kept = this.tree;
    this.tree = null;
    const node = reuseSubtree(kept, message, key);
    if (node === null || kept === null) return { node: new MctsNode(MOVE_NONE, -1), bytes: 0 };
    return { node, bytes: Math.round((kept.bytes * node.visits) / Math.max(1, kept.root.visits)) };
  }

  /** Returns the stop poll, which ends the search on `stop` and turns a ponder search into a timed one on `ponderhit`. */
  private pollControl(pos: Position, message: GoMessage, search: MctsSearch): () => boolean {
    let pondering = message.go.ponder === true;
    return () => {
      if (Atomics.load(this.control, CONTROL_STOP) !== 0) return true;
      if (pondering && Atomics.load(this.control, CONTROL_PONDERHIT) !== 0) {
        pondering = false;
        const budget = allocateTime(pos.turn, readPonderhitClock(this.control) ?? message.go, timeOptions(message.settings));
        if (budget) search.setDeadlinesFromNow(budget.softMs, budget.hardMs);
      }
      return false;
    };
  }

  private sendLines(id: number, outcome: MctsOutcome, stats: MctsStats, multiPV: number): void {
    const depth = stats.playouts > 0 ? Math.max(1, Math.round(stats.depthSum / stats.playouts)) : 1;
    const time = Math.round(stats.ms);
    const nps = Math.round((stats.playouts * 1000) / Math.max(stats.ms, 1));
    for (const line of reportedLines(outcome, multiPV)) {
      this.post({
        type: "info", id,
        line: formatEngineLine({
          kind: "info", depth, seldepth: Math.max(depth, stats.maxDepth), time, nodes: stats.playouts, nps, hashfull: stats.memoryPermille,
          multipv: multiPV > 1 ? line.multipv : undefined, score: line.score, pv: line.pv.map(makeUsiMove),
        }),
      });
    }
  }
}

/**
 * Returns the node of the kept tree at `position`, or null. The position must extend the kept one
 * (same SFEN, the kept moves first), the settings key must match, and the node must be expanded.
 */
export function reuseSubtree(kept: KeptTree | null, position: { sfen: string; moves: string[] }, key: string): MctsNode | null {
  if (kept === null || kept.key !== key || kept.sfen !== position.sfen || kept.moves.length > position.moves.length) return null;
  if (!kept.moves.every((move, i) => position.moves[i] === move)) return null;
  let node: MctsNode | null = kept.root;
  for (const text of position.moves.slice(kept.moves.length)) {
    node = findChild(node, parseUsiMoveText(text));
    if (node === null) return null;
  }
  return node.status === NODE_EXPANDED ? node : null;
}

function timeOptions(settings: EngineSettings): TimeOptions {
  return { networkDelayMs: settings.networkDelay, minimumThinkingMs: settings.minimumThinkingTime };
}

function searchLimits(pos: Position, message: GoMessage, settings: EngineSettings, evaluator: LeafEvaluator): MctsLimits {
  const { go } = message;
  const playouts = go.nodes ?? (settings.nodesLimit > 0 ? settings.nodesLimit : undefined);
  const depth = go.depth ?? (settings.depthLimit > 0 ? settings.depthLimit : undefined);
  const searchMoves: Move[] | undefined = go.searchmoves?.map((text) => parseUsiMove(pos, text)).filter((move) => move !== MOVE_NONE);
  const limits: MctsLimits = {
    playouts, depth, searchMoves,
    batchSize: settings.batchSize > 0 ? settings.batchSize : defaultBatchSize(evaluator.device),
    memoryBytes: settings.hashMb * BYTES_PER_MIB,
  };
  if (go.ponder || go.infinite) return limits;
  const budget = allocateTime(pos.turn, go, timeOptions(settings));
  return budget ? { ...limits, softMs: budget.softMs, hardMs: budget.hardMs } : limits;
}

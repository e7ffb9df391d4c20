// Mate solver for tsume (詰将棋) and for the engine's `go mate`: the side to move attacks and
// must give check with every move. See mate-search.ts for the df-pn search, mate-pv.ts for how
// the mate line is chosen, and mate-moves.ts for check generation.

import { MAX_MOVES, hasLegalMove } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { type Move, MOVE_NONE } from "../shogi/types.js";
import { generateChecks } from "./mate-moves.js";
import { extractMateLine } from "./mate-pv.js";
import { MateSearch, type SearchLimits } from "./mate-search.js";
import { LEN_INF, MateTable } from "./mate-table.js";

export interface MateOptions {
  /** Nodes the proof search may visit; the mate line afterwards may use more (see solveMate). */
  maxNodes?: number;
  /** Milliseconds the proof search may take. */
  timeMs?: number;
  /** Size of the hash table in MiB (default DEFAULT_MATE_HASH_MB). */
  hashMb?: number;
  /** Polled during the search; returning true stops it with a timeout. */
  shouldStop?: () => boolean;
}

export type MateResult =
  | {
      kind: "mate";
      /** The mate line from the root, attacker's moves first, ending in checkmate. */
      moves: Move[];
      /**
       * Plies to mate as tsume counts them: futile interpositions and the captures of the
       * interposed pieces are left out, so this is at most moves.length.
       */
      mateLength: number;
      nodes: number;
    }
  | { kind: "nomate"; nodes: number }
  | { kind: "timeout"; nodes: number };

export const DEFAULT_MATE_HASH_MB = 32;
/** Nodes the mate-line refinement may use at least, and as a multiple of the proof's nodes. */
const REFINE_MIN_NODES = 200_000;
const REFINE_NODE_FACTOR = 4;
/** Nodes allowed to finish a line from proven bounds once the refinement budget is spent. */
const COMPLETION_MIN_NODES = 1_000_000;
const COMPLETION_NODE_FACTOR = 2;

let cachedTable: MateTable | undefined;
let cachedTableMb = 0;
const mateIn1Moves = new Int32Array(MAX_MOVES);

/**
 * Searches for a mate by the side to move (every attacker move a check) and returns the mate line,
 * "nomate" when no mate exists, or "timeout" when a limit ended the search first. The position is
 * left as it was.
 *
 * After a proof, choosing the line (shortest mate, longest defence) takes more searching, up to
 * REFINE_NODE_FACTOR times the proof's nodes within the same time limit. Past that budget the line
 * is a proven mate that may be longer than the shortest. The result is a timeout only when even
 * the proven bounds cannot be read back within the completion budget.
 */
export function solveMate(pos: Position, options: MateOptions = {}): MateResult {
  const started = performance.now();
  const deadline = options.timeMs === undefined ? Infinity : started + options.timeMs;
  const maxNodes = options.maxNodes ?? Infinity;
  const search = new MateSearch(pos, tableOf(options.hashMb ?? DEFAULT_MATE_HASH_MB));
  search.setLimits({ maxNodes, deadline, shouldStop: options.shouldStop });

  const verdict = search.solve(LEN_INF);
  if (verdict === "disproven" && search.resultLen >= LEN_INF) return { kind: "nomate", nodes: search.nodes };
  if (verdict !== "proven") return { kind: "timeout", nodes: search.nodes };

  const proofNodes = search.nodes;
  const refine: SearchLimits = {
    maxNodes: Math.min(maxNodes, proofNodes + Math.max(REFINE_MIN_NODES, proofNodes * REFINE_NODE_FACTOR)),
    deadline,
    shouldStop: options.shouldStop,
  };
  const completion: SearchLimits = {
    maxNodes: search.nodes + Math.max(COMPLETION_MIN_NODES, proofNodes * COMPLETION_NODE_FACTOR),
    deadline: Infinity,
    shouldStop: options.shouldStop,
  };
  const line = extractMateLine(search, search.resultLen, refine, completion);
  if (line === null) return { kind: "timeout", nodes: search.nodes };
  return { kind: "mate", moves: line.moves, mateLength: line.mateLength, nodes: search.nodes };
}

/** Returns a move of the side to move that checkmates at once, or MOVE_NONE when there is none. */
export function mateIn1(pos: Position): Move {
  const count = generateChecks(pos, mateIn1Moves, 0);
  for (let i = 0; i < count; i++) {
    const move = mateIn1Moves[i];
    pos.doMove(move);
    const mated = !hasLegalMove(pos);
    pos.undoMove();
    if (mated) return move;
  }
  return MOVE_NONE;
}

/** Reuses one table between calls of the same size; the table is cleared per solve. */
function tableOf(megabytes: number): MateTable {
  if (cachedTable === undefined || cachedTableMb !== megabytes) {
    cachedTable = undefined;
    cachedTable = new MateTable(megabytes);
    cachedTableMb = megabytes;
  } else {
    cachedTable.clear();
  }
  return cachedTable;
}

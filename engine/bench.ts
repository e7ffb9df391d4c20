// The search benchmark: fixed positions searched to a fixed depth with a fresh hash table. The
// total node count is a signature that changes only when search or evaluation changes.

import { Position } from "../shogi/position.js";
import type { Evaluator } from "./evaluator.js";
import { Searcher } from "./search.js";
import { TranspositionTable } from "./tt.js";

/** Positions of the benchmark: openings from common lines, middle games with drops, endgames and a tsume. */
export const BENCH_POSITIONS: readonly string[] = [
  "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1",
  "ln2g2nl/1ks1grs2/1pppp1bp1/p4pp1p/7P1/P1P1P1P1P/1P1P1PN2/1BKGGS1R1/LNS5L b - 27",
  "ln2k2nl/1r1g2gs1/2pspp1p1/p2p2p1p/1p7/P1P2P1PP/1PSPPSP2/2GK3R1/LN3G1NL b Bb 25",
  "lnsgk1snl/6gb1/p1ppppp1p/6R2/9/1r7/P1PPPPP1P/1BG6/LNS1KGSNL w 2P2p 14",
  "l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1",
  "lr6l/3g1kg2/p2pp2s+P/2Ps1ppp1/8L/P1nP2PR1/1P3PS2/1SGK5/LN3G3 b BNNPPPbpp 1",
  "l2kg2+R1/4n3+L/p1gpps3/4np3/6P1N/PP+rP2pS1/1pG2P3/4P1G2/LN3KB1+p b SPbsl4p 1",
  "4k4/9/9/9/9/9/9/9/4K4 b RBGSNLP 1",
  "3sks3/9/4S4/9/9/8B/9/9/9 b S 1",
];

export const BENCH_DEFAULT_DEPTH = 6;
const BENCH_HASH_MB = 16;

export interface BenchRow {
  sfen: string;
  nodes: number;
  ms: number;
}

export interface BenchReport {
  depth: number;
  evaluator: string;
  rows: BenchRow[];
  nodes: number;
  ms: number;
  nps: number;
}

/** Searches every bench position to `depth` plies and sums the nodes. */
export function runBench(evaluator: Evaluator, depth = BENCH_DEFAULT_DEPTH, onRow?: (row: BenchRow) => void): BenchReport {
  const rows: BenchRow[] = [];
  for (const sfen of BENCH_POSITIONS) {
    const searcher = new Searcher(new TranspositionTable(BENCH_HASH_MB), evaluator);
    const result = searcher.search(Position.fromSfen(sfen), { depth });
    const row = { sfen, nodes: result.nodes, ms: Math.round(result.ms) };
    rows.push(row);
    onRow?.(row);
  }
  const nodes = rows.reduce((sum, row) => sum + row.nodes, 0);
  const ms = rows.reduce((sum, row) => sum + row.ms, 0);
  return { depth, evaluator: evaluator.name, rows, nodes, ms, nps: Math.round((nodes * 1000) / Math.max(ms, 1)) };
}

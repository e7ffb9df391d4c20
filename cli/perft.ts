// `shogi-lab perft`: leaf counts of the legal-move tree, optionally split by root move.
import type { Command } from "commander";
import { perftDivide, perftPosition } from "../shogi/perft.js";
import { Position } from "../shogi/position.js";
import { makeUsiMove } from "../shogi/usi-move.js";

export interface PerftOptions {
  depth: number;
  sfen: string;
  divide: boolean;
  json: boolean;
}

export interface PerftReport {
  sfen: string;
  depth: number;
  nodes: number;
  ms: number;
  nps: number;
  divide?: Record<string, number>;
}

/** Runs perft and returns the counts with the time taken; throws SfenError on a bad position. */
export function runPerft(options: PerftOptions): PerftReport {
  const pos = Position.fromSfen(options.sfen);
  const started = performance.now();
  let nodes: number;
  let divide: Record<string, number> | undefined;
  if (options.divide) {
    divide = {};
    nodes = 0;
    for (const entry of perftDivide(pos, options.depth)) {
      divide[makeUsiMove(entry.move)] = entry.nodes;
      nodes += entry.nodes;
    }
  } else {
    nodes = perftPosition(pos, options.depth);
  }
  const ms = performance.now() - started;
  return { sfen: pos.sfen(), depth: options.depth, nodes, ms: Math.round(ms), nps: Math.round((nodes * 1000) / Math.max(ms, 1e-3)), divide };
}

function parseDepth(text: string): number {
  const depth = Number(text);
  if (!Number.isInteger(depth) || depth < 0 || depth > 20) {
    throw new Error(`invalid --depth "${text}": give a whole number of plies from 0 to 20`);
  }
  return depth;
}

export function registerPerft(program: Command): void {
  program
    .command("perft")
    .description("Count the leaf nodes of the legal-move tree (every legal move, promotions and non-promotions)")
    .requiredOption("--depth <plies>", "depth in plies (0-20)", parseDepth)
    .option("--sfen <sfen>", "position as SFEN text, or 'startpos'", "startpos")
    .option("--divide", "print the leaf count below each root move", false)
    .option("--json", "print one JSON object (nodes, ms, nps) as the last line", false)
    .action((options: PerftOptions) => {
      const report = runPerft(options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      if (report.divide) {
        for (const [move, nodes] of Object.entries(report.divide)) process.stdout.write(`${move}: ${nodes}\n`);
      }
      process.stdout.write(`${report.nodes}\n`);
      process.stderr.write(`depth ${report.depth}: ${report.nodes} nodes in ${report.ms} ms (${report.nps} nodes/s)\n`);
    });
}

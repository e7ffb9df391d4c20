// Search speed benchmark: this project's engine and Fairy-Stockfish WebAssembly search the same
// positions for the same time over USI, in one run, and the nodes/s of each are compared.
//
// Usage: node dist/bench/search.js [--movetime MS] [--model FILE] [--rounds N] [--json]
//
// Both programs run as child processes driven by the project's USI client, one after the other,
// so they never share the two cores. Nodes and time come from each engine's last `info` line of a
// search. The two programs count nodes differently (Fairy-Stockfish counts every position it
// enters in its search, quiescence included, as does this engine), so the ratio compares search
// throughput, not strength.

import { parseArgs } from "node:util";
import { resolveEngine } from "../arena/engines.js";
import type { EngineSpec } from "../arena/plan.js";
import { BENCH_POSITIONS } from "../engine/bench.js";
import { UsiClient } from "../usi/client.js";

const USAGE = `Usage: node dist/bench/search.js [--movetime MS] [--model FILE] [--rounds N] [--json]

Searches the ${BENCH_POSITIONS.length - 2} middle-game and opening positions of \`shogi-lab bench\` with this project's
engine and with Fairy-Stockfish WebAssembly, for the same time per position, and prints the
nodes/s of each and their ratio.

  --movetime MS  milliseconds per position and program (default 3000)
  --model FILE   our engine's EvalFile (default models/base.onnx; "material" for material)
  --rounds N     passes over the positions, alternating which program goes first (default 1)
  --json         print one JSON object instead of the table
  --help         print this text`;

/** The last two bench positions are a bare-king endgame and a tsume, not search-speed material. */
const POSITIONS = BENCH_POSITIONS.slice(0, BENCH_POSITIONS.length - 2);
const OURS = "ours";
const FSF = "fsf-wasm";

interface Totals {
  nodes: number;
  ms: number;
}

interface PositionRow {
  sfen: string;
  ours: Totals;
  fsf: Totals;
}

function spec(name: string, model: string | undefined): EngineSpec {
  const common = { name, options: {}, scoreScale: 600 };
  return name === OURS ? { ...common, type: "ours", ...(model ? { model } : {}) } : { ...common, type: "reference", profile: "fsf-wasm" };
}

async function startEngine(name: string, model: string | undefined): Promise<UsiClient> {
  const client = new UsiClient(resolveEngine(spec(name, model)).config);
  const started = await client.start();
  if (started.kind !== "ready") throw new Error(`${name} did not start: ${JSON.stringify(started)}`);
  await client.isReady();
  return client;
}

/** Searches one position and returns the nodes and milliseconds of the last info line with both. */
async function measure(client: UsiClient, sfen: string, movetime: number): Promise<Totals> {
  await client.newGame();
  const result = await client.go({ sfen, moves: [] }, { movetime });
  if (!("infos" in result)) throw new Error(`search failed on ${sfen}: ${JSON.stringify(result)}`);
  const last = [...result.infos].reverse().find((info) => info.nodes !== undefined && info.time !== undefined);
  if (!last) throw new Error(`no info line with nodes and time on ${sfen}`);
  return { nodes: last.nodes ?? 0, ms: last.time ?? 0 };
}

async function run(movetime: number, model: string | undefined, rounds: number): Promise<PositionRow[]> {
  const ours = await startEngine(OURS, model);
  const fsf = await startEngine(FSF, undefined);
  const rows = POSITIONS.map((sfen) => ({ sfen, ours: { nodes: 0, ms: 0 }, fsf: { nodes: 0, ms: 0 } }));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        const order: Array<["ours" | "fsf", UsiClient]> = round % 2 === 0 ? [["ours", ours], ["fsf", fsf]] : [["fsf", fsf], ["ours", ours]];
        for (const [key, client] of order) {
          const search = await measure(client, row.sfen, movetime);
          row[key].nodes += search.nodes;
          row[key].ms += search.ms;
        }
      }
    }
  } finally {
    await ours.quit();
    await fsf.quit();
  }
  return rows;
}

function nps(totals: Totals): number {
  return totals.ms > 0 ? (totals.nodes * 1000) / totals.ms : 0;
}

function sum(rows: readonly PositionRow[], key: "ours" | "fsf"): Totals {
  return rows.reduce((acc, row) => ({ nodes: acc.nodes + row[key].nodes, ms: acc.ms + row[key].ms }), { nodes: 0, ms: 0 });
}

function report(rows: readonly PositionRow[], movetime: number, model: string, json: boolean): void {
  const ours = sum(rows, "ours");
  const fsf = sum(rows, "fsf");
  const ratio = nps(fsf) > 0 ? nps(ours) / nps(fsf) : 0;
  if (json) {
    process.stdout.write(`${JSON.stringify({ movetime, model, positions: rows.length, oursNps: nps(ours), fsfNps: nps(fsf), ratio, rows })}\n`);
    return;
  }
  process.stdout.write(`movetime ${movetime} ms per position, our model ${model}\n`);
  process.stdout.write("position                                   ours nodes/s   fsf-wasm nodes/s   ratio\n");
  for (const row of rows) {
    const r = nps(row.fsf) > 0 ? nps(row.ours) / nps(row.fsf) : 0;
    process.stdout.write(`${row.sfen.slice(0, 40).padEnd(40)} ${Math.round(nps(row.ours)).toString().padStart(15)} ${Math.round(nps(row.fsf)).toString().padStart(18)} ${r.toFixed(2).padStart(7)}\n`);
  }
  process.stdout.write(`total: ours ${Math.round(nps(ours))} nodes/s, fsf-wasm ${Math.round(nps(fsf))} nodes/s, ratio ${ratio.toFixed(2)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      movetime: { type: "string", default: "3000" },
      model: { type: "string" },
      rounds: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const movetime = Number(values.movetime);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(movetime) || movetime < 1) throw new Error(`invalid --movetime "${values.movetime}": expected a positive integer of milliseconds`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`invalid --rounds "${values.rounds}": expected a positive integer`);
  const rows = await run(movetime, values.model, rounds);
  report(rows, movetime, values.model ?? "models/base.onnx", values.json);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

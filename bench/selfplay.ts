// Self-play health check: `node dist/bench/selfplay.js [--games N] [--byoyomi MS] [--margin MS] [--json]`.
// Plays the engine against itself through two processes and reports illegal moves and time losses.
import { parseArgs } from "node:util";
import { runSelfPlay } from "../engine/selfplay.js";

const { values } = parseArgs({
  options: {
    games: { type: "string", default: "200" },
    byoyomi: { type: "string", default: "100" },
    margin: { type: "string", default: "50" },
    delay: { type: "string", default: "30" },
    model: { type: "string", default: "models/base.onnx" },
    json: { type: "boolean", default: false },
  },
});

const started = performance.now();
const tally = await runSelfPlay(
  {
    games: Number(values.games), byoyomiMs: Number(values.byoyomi), marginMs: Number(values.margin), openingPlies: 4,
    maxPlies: 256, seed: 1, engineOptions: { NetworkDelay: Number(values.delay), MinimumThinkingTime: 0, EvalFile: values.model },
  },
  (progress) => {
    if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${progress.games} games, ${progress.moves} moves, ${progress.illegalMoves} illegal, ${progress.timeLosses} late`);
  },
);
const report = { ...tally, seconds: Math.round((performance.now() - started) / 1000) };
if (!values.json && process.stderr.isTTY) process.stderr.write("\n");
process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);

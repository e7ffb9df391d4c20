// Self-play health check: the engine plays itself through pairs of engine processes over USI, and
// every move is checked by our rules and by shogiops. It reports illegal moves and time losses.
import { parseArgs } from "node:util";
import { runSelfPlay } from "../engine/selfplay.js";

const USAGE = `Usage: node dist/bench/selfplay.js [options]

Plays the engine against itself (two engine processes per game, 4 random opening plies) and
counts illegal moves (checked by this project's rules and by shogiops), time losses and engine
failures.

  --games N        games to play (default 200)
  --byoyomi MS     byoyomi per move in milliseconds (default 100)
  --margin MS      milliseconds past the byoyomi after which a reply is a time loss (default 50)
  --delay MS       the engines' NetworkDelay option in milliseconds (default 30)
  --concurrency N  games played at once, each by its own two processes (default 1)
  --model FILE     the engines' EvalFile (default models/base.onnx)
  --json           print one JSON line instead of indented JSON
  --help           print this text`;

const { values } = parseArgs({
  options: {
    games: { type: "string", default: "200" },
    byoyomi: { type: "string", default: "100" },
    margin: { type: "string", default: "50" },
    delay: { type: "string", default: "30" },
    concurrency: { type: "string", default: "1" },
    model: { type: "string", default: "models/base.onnx" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
} else {
  const started = performance.now();
  const tally = await runSelfPlay(
    {
      games: Number(values.games), byoyomiMs: Number(values.byoyomi), marginMs: Number(values.margin), openingPlies: 4,
      maxPlies: 256, seed: 1, concurrency: Number(values.concurrency),
      engineOptions: { NetworkDelay: Number(values.delay), MinimumThinkingTime: 0, EvalFile: values.model },
    },
    (progress) => {
      if (!values.json && process.stderr.isTTY) {
        process.stderr.write(`\r${progress.games} games, ${progress.moves} moves, ${progress.illegalMoves} illegal, ${progress.timeLosses} late`);
      }
    },
  );
  const report = { ...tally, seconds: Math.round((performance.now() - started) / 1000) };
  if (!values.json && process.stderr.isTTY) process.stderr.write("\n");
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
}

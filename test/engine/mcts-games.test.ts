// Games between engine processes over USI. Self-play with SearchMode mcts checks every move with
// the rules core and with shogiops: 10 games by default, 100 with MCTS_SELFPLAY=1. With
// MCTS_ARENA=1 a match of mcts against alphabeta at equal time prints its score.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseUsi } from "shogiops/util";
import { afterAll, describe, expect, it } from "vitest";
import { runSelfPlay } from "../../engine/selfplay.js";
import { legalMoves } from "../../shogi/movegen.js";
import { oracleIsLegal, oraclePosition } from "../../shogi/oracle.js";
import { Position } from "../../shogi/position.js";
import { SENNICHITE_COUNT, canDeclareWin, checkRepetition } from "../../shogi/rules.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { MOVE_NONE } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { type OptionValue, type SearchLimits, UsiClient } from "../../usi/client.js";
import { seededRandom } from "../helpers/random.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const launcher = path.join(root, "bin/usi-engine.js");
const SELFPLAY_GAMES = process.env.MCTS_SELFPLAY === "1" ? 100 : 10;
const SELFPLAY_MAX_PLIES = 200;
const SELFPLAY_MIN_PLAYOUTS = 64;
const SELFPLAY_MAX_PLAYOUTS = 200;
/** Self-play games open with up to this many random plies, so that they reach varied positions. */
const SELFPLAY_MAX_OPENING_PLIES = 24;
const ARENA_GAMES = 20;
const ARENA_MAX_PLIES = 256;
const ARENA_BYOYOMI_MS = 200;
/** Random plies that open each pair of arena games, so the pairs differ. */
const ARENA_OPENING_PLIES = 4;
/** Slack over the byoyomi before a reply counts as a time loss: pipes and process scheduling. */
const ARENA_TIME_SLACK_MS = 300;
const RULE = "csa27";

type Winner = "black" | "white" | "draw";

interface GameRecord {
  moves: string[];
  winner: Winner;
  termination: "resign" | "declaration" | "sennichite" | "perpetual-check" | "max-plies" | "time";
}

const clients: UsiClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.kill()));
});

async function startEngine(name: string, options: Record<string, OptionValue>): Promise<UsiClient> {
  const client = new UsiClient({ command: process.execPath, args: [launcher], name, options });
  clients.push(client);
  const started = await client.start();
  expect(started.kind, JSON.stringify(started)).toBe("ready");
  return client;
}

/** Plays one game from the start position after `opening`; every move is checked by both rule sets. */
async function playGame(
  black: UsiClient, white: UsiClient, opening: string[], limitsAt: (ply: number) => SearchLimits, maxPlies: number, allowedMs?: number,
): Promise<GameRecord> {
  const pos = Position.startpos();
  const oracle = oraclePosition(START_SFEN);
  const moves: string[] = [];
  const play = (text: string): void => {
    const move = parseUsiMove(pos, text);
    expect(move, `${text} legal in ${pos.sfen()}`).not.toBe(MOVE_NONE);
    expect(oracleIsLegal(oracle, text), `shogiops accepts ${text} in ${pos.sfen()}`).toBe(true);
    pos.doMove(move);
    oracle.play(parseUsi(text)!);
    moves.push(text);
  };
  for (const text of opening) play(text);
  expect((await black.newGame()).kind).toBe("readyok");
  expect((await white.newGame()).kind).toBe("readyok");

  while (moves.length < maxPlies) {
    const mover = pos.turn === 0 ? "black" : "white";
    const other: Winner = mover === "black" ? "white" : "black";
    const result = await (mover === "black" ? black : white).go({ moves }, limitsAt(moves.length), { enteringKingRule: RULE, allowedMs });
    if (result.kind === "timeout") return { moves, winner: other, termination: "time" };
    expect(result.kind, `${mover} at ply ${moves.length}: ${JSON.stringify(result)}`).toBe("bestmove");
    if (result.kind !== "bestmove") throw new Error("unreachable");
    if (result.bestmove === "resign") {
      expect(legalMoves(pos), `resigned with legal moves in ${pos.sfen()}`).toEqual([]);
      return { moves, winner: other, termination: "resign" };
    }
    if (result.bestmove === "win") {
      expect(canDeclareWin(pos, RULE), `declared in ${pos.sfen()}`).toBe(true);
      return { moves, winner: mover, termination: "declaration" };
    }
    play(result.bestmove);
    const repetition = checkRepetition(pos, SENNICHITE_COUNT);
    if (repetition.kind === "draw") return { moves, winner: "draw", termination: "sennichite" };
    // "win" is for the side now to move, whom the other side checked throughout the cycle.
    if (repetition.kind === "win") return { moves, winner: other, termination: "perpetual-check" };
    if (repetition.kind === "loss") return { moves, winner: mover, termination: "perpetual-check" };
  }
  return { moves, winner: "draw", termination: "max-plies" };
}

function randomOpening(random: () => number, plies: number): string[] {
  const pos = Position.startpos();
  const moves: string[] = [];
  for (let i = 0; i < plies; i++) {
    const legal = legalMoves(pos);
    if (legal.length === 0) break;
    const move = legal[Math.floor(random() * legal.length)];
    moves.push(makeUsiMove(move));
    pos.doMove(move);
  }
  return moves;
}

describe("self-play with SearchMode mcts", () => {
  it(`plays ${SELFPLAY_GAMES} games without an illegal move`, async () => {
    const options = { SearchMode: "mcts", USI_Hash: 64 };
    const black = await startEngine("mcts-black", options);
    const white = await startEngine("mcts-white", options);
    const random = seededRandom(20_240);
    const limitsAt = (): SearchLimits => ({
      nodes: SELFPLAY_MIN_PLAYOUTS + Math.floor(random() * (SELFPLAY_MAX_PLAYOUTS - SELFPLAY_MIN_PLAYOUTS + 1)),
    });
    const terminations: Record<string, number> = {};
    let plies = 0;
    let searched = 0;
    for (let game = 0; game < SELFPLAY_GAMES; game++) {
      const opening = randomOpening(random, Math.floor(random() * (SELFPLAY_MAX_OPENING_PLIES + 1)));
      const record = await playGame(black, white, opening, limitsAt, SELFPLAY_MAX_PLIES);
      terminations[record.termination] = (terminations[record.termination] ?? 0) + 1;
      plies += record.moves.length;
      searched += record.moves.length - opening.length;
    }
    process.stdout.write(`self-play: ${SELFPLAY_GAMES} games, ${plies} moves checked, ${searched} of them searched, endings ${JSON.stringify(terminations)}\n`);
    expect(searched).toBeGreaterThan(SELFPLAY_GAMES);
    await black.quit();
    await white.quit();
  }, 3_600_000);
});

describe("timed self-play with SearchMode mcts", () => {
  it("loses no game on time at byoyomi 100 ms", async () => {
    const tally = await runSelfPlay({
      // The margin is wide because other test files share the CPU.
      games: 2, byoyomiMs: 100, marginMs: 250, openingPlies: 4, maxPlies: 120, seed: 11,
      engineOptions: { SearchMode: "mcts", NetworkDelay: 30, MinimumThinkingTime: 0 },
    });
    expect(tally.games).toBe(2);
    expect(tally.illegalMoves).toBe(0);
    expect(tally.timeLosses).toBe(0);
    expect(tally.engineFailures).toBe(0);
  }, 300_000);
});

describe.runIf(process.env.MCTS_ARENA === "1")("mcts against alphabeta at equal time", () => {
  it(`plays ${ARENA_GAMES} games at byoyomi ${ARENA_BYOYOMI_MS} ms`, async () => {
    const mcts = await startEngine("mcts", { SearchMode: "mcts" });
    const alphabeta = await startEngine("alphabeta", { SearchMode: "alphabeta" });
    const random = seededRandom(7);
    const limits = (): SearchLimits => ({ btime: 0, wtime: 0, byoyomi: ARENA_BYOYOMI_MS });
    const score = { mcts: 0, alphabeta: 0, draws: 0 };
    const endings: string[] = [];
    let opening: string[] = [];
    for (let game = 0; game < ARENA_GAMES; game++) {
      // Both games of a pair start from the same opening with colours swapped.
      if (game % 2 === 0) opening = randomOpening(random, ARENA_OPENING_PLIES);
      const mctsBlack = game % 2 === 0;
      const [black, white] = mctsBlack ? [mcts, alphabeta] : [alphabeta, mcts];
      const record = await playGame(black, white, opening, limits, ARENA_MAX_PLIES, ARENA_BYOYOMI_MS + ARENA_TIME_SLACK_MS);
      if (record.winner === "draw") score.draws++;
      else if ((record.winner === "black") === mctsBlack) score.mcts++;
      else score.alphabeta++;
      endings.push(`${mctsBlack ? "mcts-alphabeta" : "alphabeta-mcts"} ${record.winner} by ${record.termination} in ${record.moves.length}`);
    }
    process.stdout.write(`arena mcts vs alphabeta, byoyomi ${ARENA_BYOYOMI_MS} ms: ${JSON.stringify(score)}\n${endings.join("\n")}\n`);
    expect(score.mcts + score.alphabeta + score.draws).toBe(ARENA_GAMES);
    await mcts.quit();
    await alphabeta.quit();
  }, 3_600_000);
});

// Self-play of the engine through two engine processes driven over USI, with every move checked
// by our rules and by shogiops. It measures protocol health (illegal moves, time losses, crashes),
// not strength.

import path from "node:path";
import { legalMoves } from "../shogi/movegen.js";
import { oracleIsLegal, oraclePosition } from "../shogi/oracle.js";
import { Position } from "../shogi/position.js";
import { SENNICHITE_COUNT, checkRepetition } from "../shogi/rules.js";
import { makeUsiMove, parseUsiMove } from "../shogi/usi-move.js";
import { UsiClient } from "../usi/client.js";
import { ENGINE_ROOT } from "./usi-main.js";

export interface SelfPlayOptions {
  games: number;
  byoyomiMs: number;
  /** Milliseconds past the byoyomi after which a reply counts as a time loss. */
  marginMs: number;
  /** Random legal moves played from the start position before the engines take over. */
  openingPlies: number;
  maxPlies: number;
  seed: number;
  /** Games played at once, each by its own pair of engine processes; default 1. */
  concurrency?: number;
  /** USI options for both engines, such as NetworkDelay or EvalFile. */
  engineOptions: Record<string, string | number | boolean>;
}

export interface SelfPlayTally {
  games: number;
  moves: number;
  illegalMoves: number;
  timeLosses: number;
  engineFailures: number;
  results: Record<string, number>;
  /** Slowest reply in milliseconds, from go to bestmove. */
  maxReplyMs: number;
  /** Replies past the byoyomi plus margin: the game's index, the ply of the move and the milliseconds. */
  lateReplies: Array<{ game: number; ply: number; ms: number }>;
}

const ENGINE_SCRIPT = path.join(ENGINE_ROOT, "bin/usi-engine.js");

/** Plays `games` games between pairs of engine processes, `concurrency` games at once, and counts fouls. */
export async function runSelfPlay(options: SelfPlayOptions, onGame?: (tally: SelfPlayTally) => void): Promise<SelfPlayTally> {
  const tally: SelfPlayTally = { games: 0, moves: 0, illegalMoves: 0, timeLosses: 0, engineFailures: 0, results: {}, maxReplyMs: 0, lateReplies: [] };
  const seeds: number[] = [];
  let random = options.seed >>> 0;
  for (let game = 0; game < options.games; game++) {
    random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
    seeds.push(random);
  }
  let next = 0;
  const lane = async (index: number): Promise<void> => {
    const clients = [0, 1].map((i) => new UsiClient({
      command: process.execPath, args: [ENGINE_SCRIPT], name: `engine-${index}-${i}`, options: options.engineOptions,
    }));
    try {
      for (const client of clients) await expectReady(client);
      while (next < seeds.length) {
        const game = next++;
        const result = await playGame(clients, options, seeds[game], tally, game);
        tally.games++;
        tally.results[result] = (tally.results[result] ?? 0) + 1;
        onGame?.(tally);
      }
    } finally {
      await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 1, options.games));
  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index)));
  return tally;
}

async function expectReady(client: UsiClient): Promise<void> {
  const started = await client.start();
  if (started.kind !== "ready") throw new Error(`engine failed to start: ${started.kind}`);
}

/** Plays one game; the engine of index (game parity) takes Black. Returns a result label. */
async function playGame(clients: UsiClient[], options: SelfPlayOptions, seed: number, tally: SelfPlayTally, game: number): Promise<string> {
  const pos = Position.startpos();
  const moves = openingMoves(pos, options.openingPlies, seed);
  for (const client of clients) await client.newGame();
  const black = seed & 1;
  while (moves.length < options.maxPlies) {
    const client = clients[(pos.turn + black) & 1];
    const reply = await client.go({ moves }, { btime: 0, wtime: 0, byoyomi: options.byoyomiMs }, { allowedMs: options.byoyomiMs + options.marginMs });
    if (reply.kind !== "bestmove" && reply.kind !== "timeout" && reply.kind !== "illegal-move") {
      tally.engineFailures++;
      await client.restart();
      return `failure:${reply.kind}`;
    }
    tally.maxReplyMs = Math.max(tally.maxReplyMs, reply.elapsedMs);
    if (reply.kind === "timeout") {
      tally.timeLosses++;
      tally.lateReplies.push({ game, ply: moves.length, ms: Math.round(reply.elapsedMs) });
    }
    if (reply.bestmove === "resign" || reply.bestmove === "win") return reply.bestmove;
    if (reply.kind === "illegal-move" || !checkMove(pos, reply.bestmove)) {
      tally.illegalMoves++;
      return "illegal";
    }
    pos.doMove(parseUsiMove(pos, reply.bestmove));
    moves.push(reply.bestmove);
    tally.moves++;
    if (checkRepetition(pos, SENNICHITE_COUNT).kind !== "none") return "repetition";
  }
  return "max_plies";
}

/** Tells whether both our rules and shogiops accept the move. */
function checkMove(pos: Position, usi: string): boolean {
  return parseUsiMove(pos, usi) !== 0 && oracleIsLegal(oraclePosition(pos.sfen()), usi);
}

function openingMoves(pos: Position, plies: number, seed: number): string[] {
  const moves: string[] = [];
  let state = seed;
  for (let i = 0; i < plies; i++) {
    const legal = legalMoves(pos);
    if (legal.length === 0) break;
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + i) >>> 0;
    const move = legal[state % legal.length];
    moves.push(makeUsiMove(move));
    pos.doMove(move);
  }
  return moves;
}

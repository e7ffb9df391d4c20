// Running a tournament: the schedule from the plan, games in concurrent slots, one database
// transaction per finished game, and resumption of a tournament that was stopped or killed:
// stored games are skipped and games that never finished are played again.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ArenaPlan } from "./plan.js";
import { timeControlOf } from "./plan.js";
import { type ResolvedEngine, resolveEngine, ruleOptions } from "./engines.js";
import { EngineSlots } from "./engine-slots.js";
import { type GamePlayer, type GameSettings, type PlayedGame, playGame } from "./game.js";
import { planHash, canonicalJson } from "./identity.js";
import { type Opening, loadOpenings, openingText } from "./openings.js";
import { type ResultsSummary, summarizeResults } from "./results.js";
import { type ScheduledGame, buildSchedule } from "./schedule.js";
import { ArenaStore, type EngineRow, type NewGame, type StoredGame, type StoredResult, type TournamentStatus } from "./store.js";
import { START_SFEN } from "../shogi/sfen.js";
import { BLACK, type Color } from "../shogi/types.js";

export interface TournamentProgress {
  tournamentId: number;
  gamesDone: number;
  gamesPlanned: number;
  gamesThisRun: number;
  elapsedMs: number;
  /** Games finished per hour in this run; undefined before the first one. */
  gamesPerHour?: number;
  /** Estimated milliseconds until the last planned game finishes. */
  etaMs?: number;
  results: ResultsSummary;
}

export interface TournamentHooks {
  /** Called after each finished game is stored. */
  onGame?: (game: StoredGame, progress: TournamentProgress) => void;
  /** Called when the run starts and after each stored game. */
  onProgress?: (progress: TournamentProgress) => void;
  /** Stops the tournament: engines are killed and running games are dropped, to be replayed on resume. */
  signal?: AbortSignal;
}

export interface TournamentSummary extends ResultsSummary {
  tournamentId: number;
  name: string;
  kind: ArenaPlan["kind"];
  /** "finished" when every planned game is stored or the SPRT reached a decision. */
  status: TournamentStatus;
  db: string;
  gamesPlanned: number;
  gamesThisRun: number;
  engines: EngineRow[];
}

/** A stored game that does not fit the schedule of its plan, or a changed model. */
export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResumeError";
  }
}

const MS_PER_HOUR = 3_600_000;

/**
 * Runs the tournament of a plan to its end, or until `hooks.signal` aborts it, and returns the
 * results. A tournament already in the database under the same plan identity is resumed.
 * Throws PlanError, OpeningError, ModelError, ResumeError or EngineSpawnError for setup problems.
 */
export async function runTournament(plan: ArenaPlan, hooks: TournamentHooks = {}): Promise<TournamentSummary> {
  const engines = new Map(plan.engines.map((spec) => [spec.name, resolveEngine(spec)]));
  const openings = await loadOpenings(plan.openings);
  const schedule = buildSchedule({
    kind: plan.kind,
    engines: plan.engines.map((engine) => engine.name),
    pairs: plan.pairs,
    seed: plan.seed,
    openingCount: openings.length,
    openingOrder: plan.openings?.order ?? "sequential",
  });
  if (plan.logDir !== undefined) mkdirSync(plan.logDir, { recursive: true });
  mkdirSync(dirname(plan.db), { recursive: true });
  const store = ArenaStore.open(plan.db);
  try {
    const run = new TournamentRun(plan, store, engines, openings, schedule, hooks);
    return await run.execute();
  } finally {
    store.close();
  }
}

class TournamentRun {
  private readonly tournamentId: number;
  private readonly engineRows: Map<string, EngineRow>;
  private readonly games: StoredGame[];
  private readonly pending: ScheduledGame[];
  private readonly slots: EngineSlots[] = [];
  private readonly startedAt = performance.now();
  private readonly identified = new Set<string>();
  /** Fires on the caller's abort and on a setup failure in any slot; kills every engine. */
  private readonly stop = new AbortController();
  private gamesThisRun = 0;
  private results: ResultsSummary;
  private failure: unknown;

  constructor(
    private readonly plan: ArenaPlan,
    private readonly store: ArenaStore,
    private readonly engines: ReadonlyMap<string, ResolvedEngine>,
    private readonly openings: readonly Opening[],
    private readonly schedule: readonly ScheduledGame[],
    private readonly hooks: TournamentHooks,
  ) {
    const { row } = store.findOrCreateTournament(planHash(plan), plan, canonicalJson(plan));
    this.tournamentId = row.id;
    this.engineRows = new Map(this.registerEngines().map((engine) => [engine.name, engine]));
    this.games = store.gamesOf(row.id);
    checkStoredGames(this.games, schedule, openings);
    const done = new Set(this.games.map((game) => gameKey(game.pairIndex, game.gameInPair)));
    this.pending = schedule.filter((game) => !done.has(gameKey(game.pairIndex, game.gameInPair)));
    this.results = this.summarize();
  }

  async execute(): Promise<TournamentSummary> {
    this.store.setStatus(this.tournamentId, "running");
    this.hooks.onProgress?.(this.progress());
    const forward = () => this.stop.abort();
    if (this.hooks.signal?.aborted) this.stop.abort();
    this.hooks.signal?.addEventListener("abort", forward);
    this.stop.signal.addEventListener("abort", () => this.slots.forEach((slots) => slots.killAll()));
    try {
      const workers = Array.from({ length: this.plan.concurrency }, () => this.work());
      await Promise.all(workers);
    } finally {
      this.hooks.signal?.removeEventListener("abort", forward);
      await Promise.all(this.slots.map((slots) => slots.closeAll()));
    }
    const status = this.isComplete() ? "finished" : "interrupted";
    if (this.failure !== undefined) {
      this.store.setStatus(this.tournamentId, "interrupted");
      throw this.failure;
    }
    this.store.setStatus(this.tournamentId, status);
    return this.summary(status);
  }

  /** Runs one game slot: takes the next scheduled game until none is left or the run stops. */
  private async work(): Promise<void> {
    const slots = new EngineSlots(this.engines, this.plan.logDir);
    this.slots.push(slots);
    try {
      while (!this.shouldStop()) {
        const next = this.pending.shift();
        if (!next) return;
        const played = await this.play(next, slots);
        if (played) this.record(next, played);
      }
    } catch (error) {
      this.failure ??= error;
      this.stop.abort();
    }
  }

  private shouldStop(): boolean {
    return this.stop.signal.aborted || this.isDecided();
  }

  private isDecided(): boolean {
    return this.results.sprt !== undefined && this.results.sprt.decision !== "continue";
  }

  private async play(game: ScheduledGame, slots: EngineSlots): Promise<PlayedGame | undefined> {
    const label = `t${this.tournamentId}-p${game.pairIndex}-g${game.gameInPair}`;
    const players = [this.player(game.black, slots, label), this.player(game.white, slots, label)] as const;
    const outcome = await playGame(players, this.openings[game.openingIndex], this.gameSettings(), this.stop.signal);
    this.rememberIdentity(game.black, players[0]);
    this.rememberIdentity(game.white, players[1]);
    await slots.endGame([game.black, game.white]);
    // A game that ends while the run stops may have been cut short by the kill, so it is not kept.
    return outcome.kind === "finished" && !this.stop.signal.aborted ? outcome.game : undefined;
  }

  private player(name: string, slots: EngineSlots, label: string): GamePlayer {
    const engine = this.engines.get(name) as ResolvedEngine;
    const rules = { enteringKingRule: this.plan.enteringKingRule, maxPlies: this.plan.maxPlies };
    return {
      name,
      client: slots.clientFor(name, label),
      scoreScale: engine.spec.scoreScale,
      timeControl: timeControlOf(this.plan, engine.spec),
      optionsAfterStart: (client) => ruleOptions(client.declaredOptions, engine.config.options ?? {}, rules),
    };
  }

  private gameSettings(): GameSettings {
    const { maxPlies, mateOnLastPlyCounts, enteringKingRule, resign, timeMarginMs } = this.plan;
    return { rules: { maxPlies, mateOnLastPlyCounts, enteringKingRule }, resign, timeMarginMs };
  }

  /** Stores `id name` and `id author` the first time an engine reports them in this run. */
  private rememberIdentity(name: string, player: GamePlayer): void {
    const identity = player.client.id;
    if (this.identified.has(name) || identity.name === undefined) return;
    this.identified.add(name);
    this.store.setEngineIdentity((this.engineRows.get(name) as EngineRow).id, identity);
  }

  private record(scheduled: ScheduledGame, played: PlayedGame): void {
    const game = storedGameOf(this.tournamentId, scheduled, played);
    const id = this.store.insertGame(game, new Map([...this.engineRows].map(([name, row]) => [name, row.id])));
    const stored: StoredGame = { ...game, id };
    this.games.push(stored);
    this.gamesThisRun++;
    this.results = this.summarize();
    const progress = this.progress();
    this.hooks.onGame?.(stored, progress);
    this.hooks.onProgress?.(progress);
  }

  private registerEngines(): EngineRow[] {
    const rows = this.store.registerEngines(
      this.tournamentId,
      [...this.engines.values()].map((engine) => ({
        name: engine.name,
        command: [engine.config.command, ...engine.config.args],
        options: engine.config.options ?? {},
        ...(engine.model !== undefined ? { model: engine.model } : {}),
        ...(engine.modelHash !== undefined ? { modelHash: engine.modelHash } : {}),
      })),
    );
    for (const row of rows) {
      const hash = this.engines.get(row.name)?.modelHash ?? null;
      if (row.modelHash !== hash) {
        throw new ResumeError(`engine ${row.name}: the model changed since the tournament started (stored ${row.modelHash}, now ${hash}); use a new plan name or database`);
      }
    }
    return rows;
  }

  private summarize(): ResultsSummary {
    const { kind, anchors, sprt } = this.plan;
    return summarizeResults({ kind, anchors, engines: this.plan.engines.map((engine) => engine.name), ...(sprt ? { sprt } : {}) }, this.games);
  }

  private isComplete(): boolean {
    return this.isDecided() || this.games.length === this.schedule.length;
  }

  private progress(): TournamentProgress {
    const elapsedMs = performance.now() - this.startedAt;
    const progress: TournamentProgress = {
      tournamentId: this.tournamentId,
      gamesDone: this.games.length,
      gamesPlanned: this.schedule.length,
      gamesThisRun: this.gamesThisRun,
      elapsedMs,
      results: this.results,
    };
    if (this.gamesThisRun > 0) {
      progress.gamesPerHour = (this.gamesThisRun * MS_PER_HOUR) / elapsedMs;
      progress.etaMs = ((this.schedule.length - this.games.length) * elapsedMs) / this.gamesThisRun;
    }
    return progress;
  }

  private summary(status: TournamentStatus): TournamentSummary {
    return {
      ...this.results,
      tournamentId: this.tournamentId,
      name: this.plan.name,
      kind: this.plan.kind,
      status,
      db: this.plan.db,
      gamesPlanned: this.schedule.length,
      gamesThisRun: this.gamesThisRun,
      engines: this.store.enginesOf(this.tournamentId),
    };
  }
}

function storedResult(winner: Color | undefined): StoredResult {
  if (winner === undefined) return "draw";
  return winner === BLACK ? "black_win" : "white_win";
}

function gameKey(pairIndex: number, gameInPair: number): string {
  return `${pairIndex}/${gameInPair}`;
}

/**
 * Throws ResumeError when a stored game is not the game its place in the schedule calls for, such
 * as after the opening file was edited.
 */
function checkStoredGames(games: readonly StoredGame[], schedule: readonly ScheduledGame[], openings: readonly Opening[]): void {
  const byKey = new Map(schedule.map((game) => [gameKey(game.pairIndex, game.gameInPair), game]));
  for (const game of games) {
    const planned = byKey.get(gameKey(game.pairIndex, game.gameInPair));
    const where = `stored game ${game.id} (pair ${game.pairIndex}, game ${game.gameInPair})`;
    if (!planned || planned.black !== game.black || planned.white !== game.white || planned.openingIndex !== game.openingIndex) {
      throw new ResumeError(`${where} does not match the schedule of this plan`);
    }
    const opening = openingText(openings[planned.openingIndex]);
    if (opening !== game.opening) {
      throw new ResumeError(`${where} started from "${game.opening}", but the openings now give "${opening}"; restore the opening file or use a new database`);
    }
  }
}

/** Builds the database row of a finished game. */
function storedGameOf(tournamentId: number, scheduled: ScheduledGame, played: PlayedGame): NewGame {
  const { opening, end } = played;
  const initialSfen = opening.sfen ?? START_SFEN;
  return {
    tournamentId,
    pairIndex: scheduled.pairIndex,
    gameInPair: scheduled.gameInPair,
    openingIndex: scheduled.openingIndex,
    opening: openingText(opening),
    black: scheduled.black,
    white: scheduled.white,
    result: storedResult(end.winner),
    termination: end.termination,
    plies: opening.moves.length + played.moves.length,
    openingPlies: opening.moves.length,
    blackTimeMs: Math.round(played.usedMs[0]),
    whiteTimeMs: Math.round(played.usedMs[1]),
    initialSfen,
    moves: [...opening.moves, ...played.moves],
    moveTimesMs: played.moveTimesMs,
    scores: played.scores,
    startedAt: played.startedAt.toISOString(),
    finishedAt: played.finishedAt.toISOString(),
  };
}

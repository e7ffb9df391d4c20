// Text forms of tournament results: the one-line live progress and the final summary.

import type { EloEstimate } from "./stats/index.js";
import type { MatchSummary, PoolSummary, ResultsSummary, SprtStatus } from "./results.js";
import type { TournamentProgress, TournamentSummary } from "./tournament.js";

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const ELO_DIGITS = 1;
const LLR_DIGITS = 2;

/** Returns the match shown in the progress line: the only pairing, or the first engine against the field. */
function headline(results: ResultsSummary): MatchSummary | undefined {
  if (results.field) return results.field;
  return results.matches.length === 1 ? results.matches[0] : undefined;
}

/** Formats with ELO_DIGITS decimals, writing a negative zero as 0. */
function fixed(value: number): string {
  return (value + 0 === 0 ? 0 : value).toFixed(ELO_DIGITS);
}

function formatElo(estimate: EloEstimate | undefined): string {
  return estimate === undefined ? "-" : `${fixed(estimate.elo)} ± ${fixed(estimate.elo95)}`;
}

/** Formats milliseconds as H:MM:SS. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / MS_PER_SECOND);
  const hours = Math.floor(seconds / (SECONDS_PER_MINUTE * MINUTES_PER_HOUR));
  const minutes = Math.floor(seconds / SECONDS_PER_MINUTE) % MINUTES_PER_HOUR;
  const rest = seconds % SECONDS_PER_MINUTE;
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(rest).padStart(2, "0")}`;
}

function formatSprt(sprt: SprtStatus): string {
  return `LLR ${sprt.llr.toFixed(LLR_DIGITS)} (${sprt.lower.toFixed(LLR_DIGITS)}, ${sprt.upper.toFixed(LLR_DIGITS)})${sprt.decision === "continue" ? "" : ` ${sprt.decision} accepted`}`;
}

/** Formats one line: games done, W/D/L and Elo of the headline match, LLR, games per hour and ETA. */
export function formatProgress(progress: TournamentProgress): string {
  const parts = [`${progress.gamesDone}/${progress.gamesPlanned} games`];
  const match = headline(progress.results);
  if (match) {
    parts.push(`${match.engine} W ${match.wins} D ${match.draws} L ${match.losses}`);
    parts.push(`Elo ${formatElo(match.elo)}`);
    if (match.pairElo) parts.push(`pairs Elo ${formatElo(match.pairElo)}`);
  }
  if (progress.results.sprt) parts.push(formatSprt(progress.results.sprt));
  if (progress.gamesPerHour !== undefined) parts.push(`${progress.gamesPerHour.toFixed(1)} games/h`);
  if (progress.etaMs !== undefined) parts.push(`ETA ${formatDuration(progress.etaMs)}`);
  return parts.join(" | ");
}

function formatMatch(match: MatchSummary): string[] {
  const pairCount = match.pairs.reduce((sum, count) => sum + count, 0);
  const title = `${match.engine} vs ${match.opponent ?? "all opponents"}`;
  return [
    `${title}: ${match.games} games, W ${match.wins} D ${match.draws} L ${match.losses} (Black won ${match.blackWins}, White won ${match.whiteWins})`,
    `  Elo from games: ${formatElo(match.elo)}${match.elo ? `, ${formatNeloAndLos(match.elo)}` : ""}`,
    `  Elo from ${pairCount} complete pairs [LL LD WL+DD WD WW] = [${match.pairs.join(" ")}]: ${formatElo(match.pairElo)}`,
  ];
}

function formatNeloAndLos(estimate: EloEstimate): string {
  const percent = (estimate.los * 100).toFixed(1);
  return `nElo ${fixed(estimate.nelo)} ± ${fixed(estimate.nelo95)}, LOS ${percent}%`;
}

function formatPool(pool: PoolSummary): string[] {
  if (!pool.ok) return [`Pool ratings: not computed (${pool.message})`];
  const lines = ["Pool ratings (Bradley-Terry, 95% intervals from the Fisher information):"];
  for (const rating of pool.ratings) {
    const anchor = rating.anchored ? " (anchor)" : "";
    lines.push(`  ${rating.player}: ${fixed(rating.elo)} ± ${fixed(rating.elo95)}${anchor}, ${rating.points}/${rating.games}`);
  }
  return lines;
}

function formatCounts(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([kind, count]) => `${kind} ${count}`).join(", ");
}

/** Formats the final summary as text lines. */
export function formatSummary(summary: TournamentSummary): string {
  const lines = [
    `Tournament ${summary.tournamentId} "${summary.name}" (${summary.kind}), ${summary.status}: ${summary.gamesPlayed} of ${summary.gamesPlanned} games, ${summary.gamesThisRun} in this run`,
  ];
  for (const engine of summary.engines) {
    if (engine.modelHash) lines.push(`Engine ${engine.name}: model ${engine.model ?? "(default)"} ${engine.modelHash}`);
  }
  for (const match of summary.matches) lines.push(...formatMatch(match));
  if (summary.field) lines.push(...formatMatch(summary.field));
  if (summary.sprt) lines.push(`SPRT ${summary.sprt.model} [${summary.sprt.elo0}, ${summary.sprt.elo1}]: ${formatSprt(summary.sprt)}`);
  if (summary.pool) lines.push(...formatPool(summary.pool));
  lines.push(`Terminations: ${formatCounts(summary.terminations)}`);
  for (const [engine, counts] of Object.entries(summary.faults)) lines.push(`Faults of ${engine}: ${formatCounts(counts)}`);
  return `${lines.join("\n")}\n`;
}

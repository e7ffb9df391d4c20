// The arena: tournaments between USI engines with adjudication, results in SQLite, ratings and
// game records. Other parts (the experiment runner) use this module's functions.

export { runTournament, ResumeError, type TournamentHooks, type TournamentProgress, type TournamentSummary } from "./tournament.js";
export { readTournament, listTournaments, ReadError, type TournamentReport } from "./read.js";
export { exportGames, type ExportOptions, type ExportResult } from "./export.js";
export { loadPlanFile, parsePlan, PlanError } from "./plan-parse.js";
export type {
  ArenaPlan, EngineSpec, OpeningSpec, ReferenceProfile, ResignSettings, SprtSettings, TimeControl, TournamentKind,
} from "./plan.js";
export type { GameEnd, Termination, TerminationKind } from "./termination.js";
export type { MatchSummary, ResultsSummary, SprtStatus } from "./results.js";
export type { EngineRow, StoredGame, TournamentRow, TournamentStatus } from "./store.js";
export { formatProgress, formatSummary } from "./report.js";
export { EngineSpawnError } from "./game.js";
export { OpeningError } from "./openings.js";

// Rating statistics of the arena: per-match Elo and SPRT, and joint ratings of a pool.
export { cutechessLlr, fastchessBayesianLlr } from "./bayeselo.js";
export {
  bucketsOf,
  EMPTY_BUCKET_COUNT,
  gamesOf,
  pentanomial,
  toDistribution,
  trinomial,
  type CountsKind,
  type Pentanomial,
  type ResultCounts,
  type ScoreDistribution,
} from "./counts.js";
export { eloToScore, estimateElo, NELO_PER_T_VALUE, scoreToElo, type EloEstimate } from "./elo.js";
export { ELO_REPORT_KEYS, formatEloReport, formatSprtReport, SPRT_REPORT_KEYS } from "./format.js";
export { normalCdf, Z_95 } from "./normal.js";
export { parseCounts, type CountsError, type CountsErrorCode, type ParseResult } from "./parse.js";
export {
  compareRatings,
  DEFAULT_VIRTUAL_DRAWS,
  fitPool,
  type PlayerRating,
  type PoolAnchor,
  type PoolError,
  type PoolErrorCode,
  type PoolFit,
  type PoolFitOptions,
  type PoolFitResult,
  type PoolOutcome,
  type PoolResult,
  type RatingComparison,
} from "./pool.js";
export {
  bootstrapPool,
  DEFAULT_BOOTSTRAP_REPLICATES,
  type BootstrapRating,
  type PoolBootstrap,
  type PoolBootstrapOptions,
} from "./pool-bootstrap.js";
export { SeededRandom } from "./random.js";
export {
  DEFAULT_ALPHA,
  DEFAULT_BETA,
  DEFAULT_SPRT_MODEL,
  evaluateSprt,
  sprtBounds,
  sprtLlr,
  SPRT_MODELS,
  type SprtDecision,
  type SprtModel,
  type SprtOptions,
  type SprtResult,
} from "./sprt.js";

// Calibration of a teacher's score scale: the constant a for which sigmoid(score / a) best
// predicts the game results in its own teacher data (maximum likelihood, results scored 1, 0.5
// and 0 from the side to move). A teacher whose scores fit a = A gets the factor
// SCORE_SCALE / A, which maps them to the project's scale of sigmoid(s / 600).

import { SCORE_SCALE } from "../nn/architecture.js";
import type { TeacherRecord } from "../nn/data/record.js";
import { SeededRandom } from "./gensfen-random.js";
import { isMateScore } from "./teacher-score.js";

export interface ScaleFit {
  /** The fitted a, in the records' score units. */
  scale: number;
  /** The factor that converts these scores to the project's scale: SCORE_SCALE / scale. */
  factor: number;
  /** Records used: those with a non-mate score. */
  samples: number;
  /** Mean cross-entropy at the fitted scale, in nats. */
  loss: number;
}

/** A fit with a bootstrap interval over games. */
export interface GameScaleFit extends ScaleFit {
  games: number;
  /** The 5th and 95th percentiles of a over games resampled with replacement. */
  interval: [number, number];
}

/** Bootstrap resamples, and the seed of their draws (fixed, so a report is reproducible). */
const BOOTSTRAP_RESAMPLES = 200;
const BOOTSTRAP_SEED = 1;
const LOWER_PERCENTILE = 0.05;
const UPPER_PERCENTILE = 0.95;

/** Search interval of a, in score units, and the golden-section steps (each shrinks it by 0.618, 40 to 1e-8 of it). */
const MIN_SCALE = 10;
const MAX_SCALE = 100_000;
const SEARCH_STEPS = 40;
const INVERSE_GOLDEN_RATIO = (Math.sqrt(5) - 1) / 2;
/** Keeps log() finite for probabilities that round to 0 or 1. */
const PROBABILITY_FLOOR = 1e-12;

/** Fits a to the records' scores and results; undefined without usable records. */
export function fitScoreScale(records: readonly Pick<TeacherRecord, "score" | "result">[]): ScaleFit | undefined {
  const samples = records.filter((record) => !isMateScore(record.score));
  if (samples.length === 0) return undefined;
  // The loss is convex in 1/a, so unimodal in log(a).
  const logScale = minimizeUnimodal((value) => crossEntropy(samples, Math.exp(value)), Math.log(MIN_SCALE), Math.log(MAX_SCALE));
  const scale = Math.exp(logScale);
  return { scale, factor: SCORE_SCALE / scale, samples: samples.length, loss: crossEntropy(samples, scale) };
}

/** Returns the point where a unimodal function is smallest on [low, high], by golden-section search. */
function minimizeUnimodal(f: (x: number) => number, low: number, high: number): number {
  let left = high - INVERSE_GOLDEN_RATIO * (high - low);
  let right = low + INVERSE_GOLDEN_RATIO * (high - low);
  let leftValue = f(left);
  let rightValue = f(right);
  for (let step = 0; step < SEARCH_STEPS; step++) {
    if (leftValue < rightValue) {
      high = right;
      right = left;
      rightValue = leftValue;
      left = high - INVERSE_GOLDEN_RATIO * (high - low);
      leftValue = f(left);
    } else {
      low = left;
      left = right;
      leftValue = rightValue;
      right = low + INVERSE_GOLDEN_RATIO * (high - low);
      rightValue = f(right);
    }
  }
  return (low + high) / 2;
}

function crossEntropy(records: readonly Pick<TeacherRecord, "score" | "result">[], scale: number): number {
  let sum = 0;
  for (const record of records) {
    const p = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, 1 / (1 + Math.exp(-record.score / scale))));
    const target = (record.result + 1) / 2;
    sum -= target * Math.log(p) + (1 - target) * Math.log(1 - p);
  }
  return sum / records.length;
}

/**
 * Fits a to games given as lists of records, with a 90% bootstrap interval that resamples whole
 * games, because the records of one game share its result. Undefined without usable records.
 */
export function fitScoreScaleByGame(games: readonly (readonly Pick<TeacherRecord, "score" | "result">[])[]): GameScaleFit | undefined {
  const fit = fitScoreScale(games.flat());
  if (!fit) return undefined;
  const random = new SeededRandom(BOOTSTRAP_SEED);
  const scales: number[] = [];
  for (let resample = 0; resample < BOOTSTRAP_RESAMPLES; resample++) {
    const drawn = Array.from({ length: games.length }, () => random.pick(games)).flat();
    const refit = fitScoreScale(drawn);
    if (refit) scales.push(refit.scale);
  }
  scales.sort((a, b) => a - b);
  const at = (fraction: number) => scales[Math.min(scales.length - 1, Math.floor(fraction * scales.length))];
  return { ...fit, games: games.length, interval: [at(LOWER_PERCENTILE), at(UPPER_PERCENTILE)] };
}

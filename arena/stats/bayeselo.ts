// SPRT variants whose Elo bounds are BayesElo (R. Coulom's model with a draw Elo), as cutechess
// and fastchess's "bayesian" model define them. Trinomial counts only.
import { toDistribution, trinomial } from "./counts.js";
import { logLikelihoodRatio, mleWithMean } from "./mle.js";

/** Virtual games cutechess adds to each of W, D and L before it estimates the draw Elo. */
const CUTECHESS_PRIOR_GAMES = 0.5;

interface OutcomeProbabilities {
  readonly win: number;
  readonly draw: number;
  readonly loss: number;
}

/** Returns the draw Elo that makes the BayesElo model reproduce the given win and loss rates. */
function drawEloOf(winRate: number, lossRate: number): number {
  return 200 * Math.log10((((1 - lossRate) / lossRate) * (1 - winRate)) / winRate);
}

/** Returns win, draw and loss probabilities for a BayesElo difference and a draw Elo. */
function bayesEloOutcomes(bayesElo: number, drawElo: number): OutcomeProbabilities {
  const win = 1 / (1 + 10 ** ((drawElo - bayesElo) / 400));
  const loss = 1 / (1 + 10 ** ((drawElo + bayesElo) / 400));
  return { win, draw: 1 - win - loss, loss };
}

/**
 * Returns the factor that turns BayesElo into logistic Elo near zero:
 * 4x / (1 + x)^2 with x = 10^(-drawElo / 400).
 */
function bayesEloScale(drawElo: number): number {
  const x = 10 ** (-drawElo / 400);
  return (4 * x) / (1 + x) ** 2;
}

/**
 * Computes the SPRT log-likelihood ratio as cutechess does. It adds 1/2 to each count and
 * estimates the draw Elo from the rates. It reads elo0 and elo1 as logistic Elo and divides them
 * by the BayesElo scale. The result is the sum of count * ln(P1 / P0) over win, draw and loss.
 * @throws RangeError when a count is negative or not finite.
 */
export function cutechessLlr(wins: number, draws: number, losses: number, elo0: number, elo1: number): number {
  for (const count of [wins, draws, losses]) {
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`invalid count ${count}: counts must be finite and non-negative`);
    }
  }
  const w = wins + CUTECHESS_PRIOR_GAMES;
  const d = draws + CUTECHESS_PRIOR_GAMES;
  const l = losses + CUTECHESS_PRIOR_GAMES;
  const games = w + d + l;
  const drawElo = drawEloOf(w / games, l / games);
  const scale = bayesEloScale(drawElo);

  const h0 = bayesEloOutcomes(elo0 / scale, drawElo);
  const h1 = bayesEloOutcomes(elo1 / scale, drawElo);
  return w * Math.log(h1.win / h0.win) + d * Math.log(h1.draw / h0.draw) + l * Math.log(h1.loss / h0.loss);
}

/**
 * Computes the SPRT log-likelihood ratio of fastchess's "bayesian" model: elo0 and elo1 are
 * BayesElo, turned into expected scores with the draw Elo of the observed rates (empty buckets
 * count as 0.001), then tested like the logistic model. Returns 0 while there is no win or no
 * loss, as fastchess does, because the draw Elo is undefined then.
 * @throws RangeError for invalid counts.
 */
export function fastchessBayesianLlr(wins: number, draws: number, losses: number, elo0: number, elo1: number): number {
  const { scores, probabilities, samples } = toDistribution(trinomial(wins, draws, losses));
  if (wins === 0 || losses === 0) return 0;
  const [lossRate, , winRate] = probabilities;
  const drawElo = drawEloOf(winRate, lossRate);
  const expectedScore = (bayesElo: number): number => {
    const outcomes = bayesEloOutcomes(bayesElo, drawElo);
    return outcomes.win + outcomes.draw / 2;
  };

  const h0 = mleWithMean(scores, probabilities, expectedScore(elo0));
  const h1 = mleWithMean(scores, probabilities, expectedScore(elo1));
  return logLikelihoodRatio(probabilities, h0, h1, samples);
}

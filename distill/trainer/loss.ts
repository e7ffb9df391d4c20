// The distillation loss. With y the student's logit (score / 600), q = sigmoid(y), r the game
// result from the side to move's view (win 1, draw 0.5, loss 0) and p = sigmoid(teacher / 600):
//   target t = (1 - lambda) * r + lambda * p
//   loss     = -(t * ln q + (1 - t) * ln(1 - q))       cross entropy in nats, dLoss/dy = q - t
// The loss of a perfect predictor (q = t) is the target's entropy H(t), so loss - H(t) >= 0 is the
// KL divergence; the trainer reports both numbers.

import { SCORE_SCALE } from "../../nn/architecture.js";

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** ln(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Computes the training target for a teacher score (centipawns, side to move) and a game result (1, 0, -1). */
export function target(teacherScore: number, result: number, lambda: number): number {
  const outcome = (result + 1) / 2;
  return (1 - lambda) * outcome + lambda * sigmoid(teacherScore / SCORE_SCALE);
}

/** Cross entropy of sigmoid(logit) against target t, computed from the logit: softplus(y) - t * y. */
export function crossEntropy(logit: number, t: number): number {
  return softplus(logit) - t * logit;
}

/** Entropy of a Bernoulli target, the cross entropy of a perfect prediction. */
export function entropy(t: number): number {
  let h = 0;
  if (t > 0) h -= t * Math.log(t);
  if (t < 1) h -= (1 - t) * Math.log(1 - t);
  return h;
}

// Standard normal distribution, written out because JavaScript has no erf.

/** Quantile of the standard normal distribution at 0.975, the z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * Below this |x| erfc is computed as 1 - erf from a power series (erfc >= 0.03 there, so little
 * is lost to cancellation); above it from a continued fraction, which needs under 100 terms.
 */
const SERIES_LIMIT = 1.5;
const MAX_TERMS = 200;
const RELATIVE_TOLERANCE = 1e-17;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
/** Smallest magnitude the modified Lentz algorithm substitutes for a zero denominator. */
const LENTZ_TINY = 1e-300;

/**
 * Computes erf(x) for |x| < SERIES_LIMIT from the series
 * erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
 * whose terms are all positive, so no accuracy is lost to cancellation.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * RELATIVE_TOLERANCE) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * Computes erfc(x) for x >= SERIES_LIMIT from the continued fraction
 * erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated with the modified Lentz algorithm.
 */
function erfcContinuedFraction(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < MAX_TERMS; k++) {
    const a = k / 2;
    d = x + a * d;
    c = x + a / c;
    if (Math.abs(d) < LENTZ_TINY) d = LENTZ_TINY;
    if (Math.abs(c) < LENTZ_TINY) c = LENTZ_TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < RELATIVE_TOLERANCE) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** Computes the complementary error function erfc(x) = 1 - erf(x), to about 1e-14 relative. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Computes the standard normal cumulative distribution function Phi(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

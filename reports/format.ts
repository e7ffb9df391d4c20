// Number formats shared by the page, the SVG charts and the verdict evidence. Numbers read the
// same in English and Japanese, so these take no language.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines
// and imports nothing.

export const ELO_DIGITS = 1;
export const LOSS_DIGITS = 4;
export const PERCENT_DIGITS = 1;
export const RATIO_DIGITS = 3;
export const PERCENT_PER_UNIT = 100;
/** U+2212 MINUS SIGN, which lines up with "+" in tables. */
export const MINUS_SIGN = "\u2212";

/** Formats a number with a sign: "+12.3", "−4.0", "0.0". */
export function formatSigned(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value < 0 ? MINUS_SIGN : "+"}${text}`;
}

export function formatElo(elo: number): string {
  return formatSigned(elo, ELO_DIGITS);
}

/** Formats a 95% interval as "[−4.0, +28.6]". */
export function formatInterval(lower: number, upper: number): string {
  return `[${formatElo(lower)}, ${formatElo(upper)}]`;
}

export function formatLoss(loss: number): string {
  return loss.toFixed(LOSS_DIGITS);
}

/** Formats a fraction as a signed percentage: 0.0123 becomes "+1.2%". */
export function formatSignedPercent(fraction: number): string {
  return `${formatSigned(fraction * PERCENT_PER_UNIT, PERCENT_DIGITS)}%`;
}

/** Formats a fraction as a percentage without a sign: 0.5 becomes "50.0%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * PERCENT_PER_UNIT).toFixed(PERCENT_DIGITS)}%`;
}

/** Formats an integer with thousands separators: 12000 becomes "12,000". */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Formats a learning rate in exponent form: 0.0001 becomes "1e-4". */
export function formatLearningRate(rate: number): string {
  const [mantissa, exponent] = rate.toExponential().split("e");
  const shortMantissa = String(Number(Number(mantissa).toPrecision(3)));
  return `${shortMantissa}e${Number(exponent)}`;
}

// Text and JSON reports of match statistics for the command line.
import type { EloEstimate } from "./elo.js";
import type { SprtDecision, SprtResult } from "./sprt.js";

/** Keys of the Elo report, in output order. */
export const ELO_REPORT_KEYS = ["elo", "elo95", "nelo", "nelo95", "los"] as const;

/** Keys of the SPRT report, in output order. */
export const SPRT_REPORT_KEYS = ["llr", "lower", "upper", "decision"] as const;

const DECISION_TEXT: Record<SprtDecision, string> = {
  H0: "H0 accepted",
  H1: "H1 accepted",
  continue: "no decision yet, continue",
};

function signed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text;
}

/** Formats an Elo estimate as labelled lines, or as one JSON object with ELO_REPORT_KEYS. */
export function formatEloReport(estimate: EloEstimate, json: boolean): string {
  if (json) {
    const { elo, elo95, nelo, nelo95, los } = estimate;
    return `${JSON.stringify({ elo, elo95, nelo, nelo95, los })}\n`;
  }
  const lines = [
    `elo     ${signed(estimate.elo, 2)} Elo points`,
    `elo95   ${estimate.elo95.toFixed(2)} Elo points (half-width of the 95% interval)`,
    `nelo    ${signed(estimate.nelo, 2)} normalized Elo points`,
    `nelo95  ${estimate.nelo95.toFixed(2)} normalized Elo points (half-width of the 95% interval)`,
    `los     ${estimate.los.toFixed(4)} (probability that the first player is stronger)`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Formats an SPRT result as labelled lines, or as one JSON object with SPRT_REPORT_KEYS. */
export function formatSprtReport(result: SprtResult, json: boolean): string {
  if (json) {
    const { llr, lower, upper, decision } = result;
    return `${JSON.stringify({ llr, lower, upper, decision })}\n`;
  }
  const lines = [
    `llr       ${signed(result.llr, 3)} (log-likelihood ratio of H1 over H0)`,
    `lower     ${signed(result.lower, 3)} (H0 is accepted at or below)`,
    `upper     ${signed(result.upper, 3)} (H1 is accepted at or above)`,
    `decision  ${result.decision} (${DECISION_TEXT[result.decision]})`,
  ];
  return `${lines.join("\n")}\n`;
}

// The report's charts by id. Each chart is drawn as SVG text from the run data, both in the page
// and in Node for the .svg files. The id names the page's container and the file.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines
// and uses only named imports of other browser modules.

import type { Language, MessageKey } from "../i18n.js";
import type { RunData } from "../run-data.js";
import { drawEloVsBase } from "./elo-vs-base.js";
import { drawEloVsEpochs, drawEloVsLearningRate } from "./elo-sweep.js";
import { drawLossCurves } from "./loss-curves.js";
import { drawLossScatter } from "./loss-scatter.js";

export type ChartId = "elo-vs-base" | "elo-vs-learning-rate" | "elo-vs-epochs" | "loss-curves" | "loss-scatter";
export const CHART_IDS: readonly ChartId[] = ["elo-vs-base", "elo-vs-learning-rate", "elo-vs-epochs", "loss-curves", "loss-scatter"];

export const CHART_TITLE_KEYS: Readonly<Record<ChartId, MessageKey>> = {
  "elo-vs-base": "chart.eloVsBase.title",
  "elo-vs-learning-rate": "chart.eloVsLearningRate.title",
  "elo-vs-epochs": "chart.eloVsEpochs.title",
  "loss-curves": "chart.lossCurves.title",
  "loss-scatter": "chart.lossScatter.title",
};

/** Draws one chart as a standalone SVG document. */
export function drawChart(id: ChartId, data: RunData, language: Language): string {
  switch (id) {
    case "elo-vs-base":
      return drawEloVsBase(data, language);
    case "elo-vs-learning-rate":
      return drawEloVsLearningRate(data, language);
    case "elo-vs-epochs":
      return drawEloVsEpochs(data, language);
    case "loss-curves":
      return drawLossCurves(data, language);
    case "loss-scatter":
      return drawLossScatter(data, language);
  }
}

// The controls stage: a positive control (an under-trained base fine-tuned on fresh data from the
// same teacher must lower its validation loss) and a negative control (fine-tuning on shuffled
// labels must raise it), so the run can tell a real effect from a built-in bias.

import { type ControlsResult, runControls as runControlPair } from "../finetune/controls.js";
import type { Control } from "../reports/run-data.js";
import type { ExperimentPlan } from "./plan.js";
import type { RunFolder } from "./run-folder.js";

const RESULT_FILE = "controls/result.json";

/** Runs both controls once per run folder and returns them as report data. */
export async function runControls(run: RunFolder, plan: ExperimentPlan, say: (line: string) => void): Promise<Control[]> {
  if (!plan.controls) return [];
  let result = run.readJson<ControlsResult>(RESULT_FILE);
  if (!result) {
    say("controls: positive (under-trained base, fresh data) and negative (shuffled labels)");
    result = await runControlPair({
      base: plan.baseModel, val: plan.generalValidation, teacherData: [plan.controlData], workDir: run.path("controls"),
      epochs: plan.controlEpochs, seed: plan.seed, workers: 1,
    });
    run.writeJson(RESULT_FILE, result);
  }
  run.markDone("controls");
  return [
    {
      name: "positive-control", kind: "positive", expectation: "loss_decreases",
      description: `a base trained on ${result.positive.underTrainedRecords} records, fine-tuned on ${result.positive.freshRecords} fresh records of the same teacher`,
      validationLoss: { before: result.positive.valBefore, after: result.positive.valAfter }, passed: result.positive.passed,
    },
    {
      name: "negative-control", kind: "negative", expectation: "loss_increases",
      description: `the base fine-tuned on ${result.negative.shuffledRecords} records with shuffled labels`,
      validationLoss: { before: result.negative.valBefore, after: result.negative.valAfter }, passed: result.negative.passed,
    },
  ];
}

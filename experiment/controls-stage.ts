// The controls stage: a positive control (an under-trained base fine-tuned on fresh data from the
// same teacher must lower its validation loss) and a negative control (fine-tuning on shuffled
// labels must raise it), so the run can tell a real effect from a built-in bias.

import type { Control } from "../reports/run-data.js";
import type { ExperimentPlan } from "./plan.js";
import type { RunFolder } from "./run-folder.js";

// TODO: run the controls through the fine-tuning lab once it exports them.
export async function runControls(run: RunFolder, plan: ExperimentPlan, say: (line: string) => void): Promise<Control[]> {
  if (!plan.controls) return [];
  say("controls: not available in this build");
  run.markDone("controls");
  return [];
}

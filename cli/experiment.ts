// `shogi-lab experiment`: the main job, from the shipped base and data to the report.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { runExperiment } from "../experiment/run.js";
import { PROFILE_NAMES, type ProfileName } from "../experiment/plan.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface ExperimentCommandOptions {
  profile: ProfileName;
  plan?: string;
  run?: string;
  json: boolean;
}

function parseProfile(text: string): ProfileName {
  if (!(PROFILE_NAMES as readonly string[]).includes(text)) {
    throw new Error(`invalid --profile "${text}": choose one of ${PROFILE_NAMES.join(", ")}`);
  }
  return text as ProfileName;
}

export function registerExperiment(program: Command): void {
  program
    .command("experiment")
    .description("Run the main job into runs/NAME/: fine-tuning sweep, controls, opening-book arm, arena at two node budgets, report")
    .option("--profile <name>", "quick (about 2 minutes on 2 cores), standard (the default sweep) or full (bigger machines)", parseProfile, "standard")
    .option("--plan <file>", "JSON file whose fields replace the profile's (paths relative to the file)")
    .option("--run <name>", "run folder name under runs/ (default: the profile name); a rerun resumes it")
    .option("--json", "print one JSON summary as the last line and no progress", false)
    .action(async (options: ExperimentCommandOptions) => {
      const started = performance.now();
      const progress = (line: string): void => {
        if (!options.json) process.stderr.write(`[${Math.round((performance.now() - started) / 1000)} s] ${line}\n`);
      };
      const result = await runExperiment({
        profile: options.profile, planFile: options.plan, runName: options.run ?? options.profile, projectRoot: PROJECT_ROOT, onProgress: progress,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ runDir: result.runDir, report: result.report, variants: result.data.variants.length })}\n`);
        return;
      }
      process.stdout.write(`report: ${result.report}\nsummary: ${path.join(result.runDir, "summary.json")}\n`);
    });
}

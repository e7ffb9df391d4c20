// Entry point of the `shogi-lab` command. Each command lives in its own module, which registers
// its options here and calls a function that does the work.
import { Command } from "commander";
import { registerArena } from "./arena.js";
import { registerConvert } from "./convert.js";
import { registerBench } from "./bench.js";
import { registerElo } from "./elo.js";
import { registerFinetune } from "./finetune.js";
import { registerExperiment } from "./experiment.js";
import { registerGensfen } from "./gensfen.js";
import { registerLabel } from "./label.js";
import { registerModel } from "./model.js";
import { registerPerft } from "./perft.js";
import { registerReport } from "./report.js";
import { registerServe } from "./serve.js";
import { registerTrain } from "./train.js";
import { registerUsi } from "./usi.js";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("shogi-lab")
    .description("Shogi evaluation-network distillation lab: rules, engine, trainer, arena and reports")
    .showHelpAfterError();
  registerPerft(program);
  registerTrain(program);
  registerFinetune(program);
  registerElo(program);
  registerBench(program);
  registerUsi(program);
  registerConvert(program);
  registerModel(program);
  registerArena(program);
  registerGensfen(program);
  registerLabel(program);
  registerReport(program);
  registerServe(program);
  registerExperiment(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}

// `shogi-lab usi`: the USI engine for ShogiGUI, ShogiHome and the arena.
import type { Command } from "commander";
import { runUsiEngine } from "../engine/usi-main.js";

export function registerUsi(program: Command): void {
  program
    .command("usi")
    .description("Run the USI engine on stdin and stdout (register bin/shogi-lab-usi or bin/shogi-lab-usi.bat in a GUI)")
    .option("--model <file>", "evaluation model (.onnx) used until the GUI sets EvalFile; relative paths resolve against the engine folder; 'material' for material only", "models/base.onnx")
    .action(async (options: { model: string }) => {
      await runUsiEngine({ model: options.model });
      process.exit(0);
    });
}

// `shogi-lab usi`: the USI engine for ShogiGUI, ShogiHome and the arena.
import { type Command, InvalidArgumentError } from "commander";
import { runUsiEngine } from "../engine/usi-main.js";
import { EXECUTION_DEVICES, type ExecutionDevice } from "../nn/onnx-evaluator.js";

/** Parses a --device value of the tree search. */
export function parseDevice(text: string): ExecutionDevice {
  const device = EXECUTION_DEVICES.find((known) => known === text);
  if (device === undefined) throw new InvalidArgumentError(`invalid --device "${text}": give one of ${EXECUTION_DEVICES.join(", ")}`);
  return device;
}

export function registerUsi(program: Command): void {
  program
    .command("usi")
    .description("Run the USI engine on stdin and stdout (register bin/shogi-lab-usi or bin/shogi-lab-usi.bat in a GUI)")
    .option("--model <file>", "evaluation model (.onnx) used until the GUI sets EvalFile; relative paths resolve against the engine folder; 'material' for material only", "models/base.onnx")
    .option("--device <device>", "ONNX Runtime device of the tree search (SearchMode mcts) until the GUI sets EvalDevice: cpu, webgpu or cuda", parseDevice, "cpu")
    .action(async (options: { model: string; device: ExecutionDevice }) => {
      await runUsiEngine({ model: options.model, device: options.device });
      process.exit(0);
    });
}

import type { Command } from "commander";

export function registerPerft(program: Command): void {
  program
    .command("perft")
    .description("Count the leaf nodes of the legal-move tree (not implemented yet)")
    .requiredOption("--depth <n>", "depth in plies")
    .action(() => {
      throw new Error("perft is not implemented yet");
    });
}

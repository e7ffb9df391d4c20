// Vitest global setup: compiles the project, because tests run the compiled files in dist/.
// Type errors are printed but do not stop the run; `npm run typecheck` is the strict check.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export default function build(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) process.stdout.write(`tsc reported errors; tests run on what it emitted:\n${result.stdout}`);
  // Compiles the trainer's SIMD kernels. Without them the trainer runs its JavaScript kernels and the SIMD kernel tests fail.
  const asc = path.join(root, "node_modules/assemblyscript/bin/asc.js");
  const kernels = spawnSync(process.execPath, [asc, "--config", "asm/asconfig.json"], { cwd: root, encoding: "utf8" });
  if (kernels.status !== 0) process.stdout.write(`asc failed, so the trainer runs its JavaScript kernels and the SIMD kernel tests fail:\n${kernels.stderr}`);
}

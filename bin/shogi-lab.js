#!/usr/bin/env node
// Launcher for the compiled CLI; `npm ci` builds dist/ through the prepare script.
import { main } from "../dist/cli/main.js";

main(process.argv).catch((error) => {
  process.stderr.write(`shogi-lab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

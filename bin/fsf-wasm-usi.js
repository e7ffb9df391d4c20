#!/usr/bin/env node
// Fairy-Stockfish WebAssembly as a shogi USI engine on stdin/stdout, for GUIs and for the arena.
// It runs the compiled bridge, so build dist/ first (`npx tsc -p .`).
import { runFsfWasmBridge } from "../dist/usi/fsf-wasm-engine.js";

// Exit only after stdout has taken the last engine line, because writes to a pipe are
// asynchronous on POSIX and process.exit() would drop what is still queued.
function exitAfterFlush(status) {
  process.stdout.write("", () => process.exit(status));
}

runFsfWasmBridge(process.stdin, process.stdout).then(exitAfterFlush, (error) => {
  process.stderr.write(`fsf-wasm-usi: ${error instanceof Error ? error.message : String(error)}\n`);
  exitAfterFlush(1);
});

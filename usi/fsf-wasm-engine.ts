// Fairy-Stockfish WebAssembly (npm `fairy-stockfish-nnue.wasm`, GPL-3.0) run inside Node, and a
// bridge that makes it behave like a native shogi USI engine on a pair of line streams.
//
// How the build runs under Node (package version 1.1.12, emscripten 2.0.26):
// - stockfish.js is a CommonJS factory. It loads stockfish.worker.js from its own folder for every
//   pthread, so each engine thread is a `worker_threads` Worker sharing one SharedArrayBuffer.
//   Node 20 supports WebAssembly threads and SIMD without flags.
// - Commands go in through `postMessage(line)` and are queued for the engine's main thread. Output
//   lines, stdout and stderr alike, go to the listeners added with `addMessageListener`.
// - Loading stockfish.js installs process-wide `uncaughtException` and `unhandledRejection`
//   handlers and sets `global.Worker`, so give the engine a process of its own (see
//   bin/fsf-wasm-usi.js) rather than loading it into a process that does other work.
//
// NOTE: the glue code caps WebAssembly memory at 2 GiB. With USI_Hash 1024 the engine printed
// "Failed to allocate 1024MB for transposition table." and exited with status 1, while 768 worked.
// The bridge passes options through unchanged, so a client must keep the hash below that.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";

const PACKAGE_ENTRY = "fairy-stockfish-nnue.wasm/stockfish.js";
const WASM_FILE = "stockfish.wasm";

/** Commands sent before any client command: switch to USI protocol, then select shogi. */
const HANDSHAKE_COMMANDS = ["usi", "setoption name USI_Variant value shogi"] as const;
/** The last line of the engine's reply to the handshake's `usi`. */
const HANDSHAKE_END = "usiok";
const QUIT_COMMAND = "quit";

/** The parts of the emscripten module object that this file uses. */
interface EmscriptenEngine {
  postMessage(command: string): void;
  addMessageListener(listener: (line: string) => void): void;
}

/** Module settings read by the emscripten glue code. */
interface EmscriptenSettings {
  wasmBinary: Uint8Array;
  quit: (status: number) => void;
}

type EngineFactory = (settings: EmscriptenSettings) => Promise<EmscriptenEngine>;

/** A running WebAssembly engine. */
export interface FsfWasmEngine {
  /** Queues one command line for the engine. */
  send(command: string): void;
  /** Exit status of the engine's main(), resolved when it returns, normally after `quit`. */
  readonly exited: Promise<number>;
}

/**
 * Loads and starts the WebAssembly engine and passes every line it prints to `onLine`.
 *
 * The glue code would fetch stockfish.wasm with the global `fetch` that Node 18+ has, which
 * rejects a file path as an invalid URL, so this reads the file itself and hands the bytes over.
 */
export async function startFsfWasmEngine(onLine: (line: string) => void): Promise<FsfWasmEngine> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(PACKAGE_ENTRY);
  const factory = require(entry) as EngineFactory;
  const wasmBinary = await readFile(join(dirname(entry), WASM_FILE));

  let resolveExit: (status: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));

  const engine = await factory({ wasmBinary, quit: (status) => resolveExit(status) });
  engine.addMessageListener(onLine);
  return { send: (command) => engine.postMessage(command), exited };
}

/**
 * Runs the engine as a shogi USI engine between `input` (client commands, one a line) and
 * `output` (engine lines). Resolves with the engine's exit status after `quit` or the end of
 * `input`, which is sent to the engine as `quit`.
 *
 * Before the first client command the bridge sends `usi` and selects the shogi variant, and it
 * drops the engine's startup banner and its reply to that `usi`. Without the `usi` the engine
 * stays in UCI mode and writes moves in chess coordinates (c3c4 for 7g7f). Everything else
 * passes unchanged in both directions.
 */
export async function runFsfWasmBridge(input: Readable, output: Writable): Promise<number> {
  const pending: string[] = [];
  let engine: FsfWasmEngine | undefined;
  let quitSent = false;

  const sendToEngine = (command: string): void => {
    if (quitSent) return;
    if (command.trim() === QUIT_COMMAND) quitSent = true;
    if (engine) engine.send(command);
    else pending.push(command);
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on("line", (line) => {
    sendToEngine(line);
    if (quitSent) lines.close();
  });
  lines.on("close", () => sendToEngine(QUIT_COMMAND));

  engine = await startFsfWasmEngine(createHandshakeFilter(output));
  for (const command of HANDSHAKE_COMMANDS) engine.send(command);
  for (const command of pending.splice(0)) engine.send(command);

  const status = await engine.exited;
  quitSent = true;
  lines.close();
  return status;
}

/** Returns a line handler that drops output up to the handshake's `usiok` and writes the rest. */
function createHandshakeFilter(output: Writable): (line: string) => void {
  let handshakeDone = false;
  return (line) => {
    if (handshakeDone) output.write(line + "\n");
    else if (line.trim() === HANDSHAKE_END) handshakeDone = true;
  };
}

// The reference engines this machine can run, each with the command line that starts it as a
// shogi USI engine over stdin/stdout.

import { accessSync, constants, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EngineCommand } from "./engine-process.js";

export type ReferenceEngineId = "fsf-wasm" | "fsf-native" | "gpsusi";

export interface ReferenceEngine extends EngineCommand {
  id: ReferenceEngineId;
  /** Human-readable program name. */
  name: string;
}

/** Executable of the Debian package `fairy-stockfish`. */
export const FSF_NATIVE_PATH = "/usr/games/fairy-stockfish";
/** Executable of the Debian package `gpsshogi`. */
export const GPSUSI_PATH = "/usr/games/gpsusi";
/** Launcher of the WebAssembly bridge, relative to the package root. */
const FSF_WASM_LAUNCHER = join("bin", "fsf-wasm-usi.js");
/** Folders to climb from this module to the package root: 1 from usi/, 2 from dist/usi/. */
const MAX_LEVELS_TO_PACKAGE_ROOT = 2;

/** Returns true when `path` is a file that this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lists the reference engines available here, always starting with Fairy-Stockfish WebAssembly.
 *
 * Native Fairy-Stockfish needs no bridge. Its `usi` command switches it to USI and to the shogi
 * variant (checked with the Debian build 11.1). That build names its options `Hash` and `Ponder`
 * and replies "No such option" to `setoption name USI_Hash ...`, which leaves the default
 * 16 MB hash in place.
 */
export function listReferenceEngines(canExecute: (path: string) => boolean = isExecutable): ReferenceEngine[] {
  const engines: ReferenceEngine[] = [fsfWasmEngine()];
  if (canExecute(FSF_NATIVE_PATH)) {
    engines.push({ id: "fsf-native", name: "Fairy-Stockfish (native)", command: FSF_NATIVE_PATH, args: [] });
  }
  if (canExecute(GPSUSI_PATH)) {
    engines.push({ id: "gpsusi", name: "GPSShogi (gpsusi)", command: GPSUSI_PATH, args: [] });
  }
  return engines;
}

/** Returns the command that runs the WebAssembly bridge with the Node binary running this code. */
export function fsfWasmEngine(): ReferenceEngine {
  return {
    id: "fsf-wasm",
    name: "Fairy-Stockfish (WebAssembly)",
    command: process.execPath,
    args: [findLauncher()],
  };
}

/** Finds bin/fsf-wasm-usi.js from this module, compiled into dist/usi/ or run from usi/. */
function findLauncher(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < MAX_LEVELS_TO_PACKAGE_ROOT; level += 1) {
    folder = dirname(folder);
    const candidate = join(folder, FSF_WASM_LAUNCHER);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${FSF_WASM_LAUNCHER} not found above ${fileURLToPath(import.meta.url)}; is the package complete?`);
}

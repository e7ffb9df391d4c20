// Turning the engines of a plan into client configurations: this project's engine with its
// model, a reference program by profile, or any USI executable. Also reads the content hash of
// an ONNX model from its model card, for the results database.

import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readModelFile } from "../nn/onnx-reader.js";
import type { EnteringKingRule } from "../shogi/rules.js";
import type { OptionDeclaration } from "../usi/grammar.js";
import type { ClientTimeouts, OptionValue, UsiClientConfig } from "../usi/client.js";
import { FSF_NATIVE_PATH, GPSUSI_PATH, fsfWasmEngine, isExecutable } from "../usi/reference-engines.js";
import { PlanError } from "./plan-fields.js";
import type { EngineSpec, ReferenceProfile } from "./plan.js";

/** An engine ready to start: its client configuration and, for our engine, its model. */
export interface ResolvedEngine {
  name: string;
  spec: EngineSpec;
  config: UsiClientConfig;
  /** The EvalFile value our engine gets: "material", a model path, or undefined for its default. */
  model?: string;
  /** Content hash from the model card, for our engine with an .onnx EvalFile. */
  modelHash?: string;
}

const USI_ENGINE_LAUNCHER = join("bin", "usi-engine.js");
/** Folders to climb from this module to the package root: 1 from arena/, 2 from dist/arena/. */
const MAX_LEVELS_TO_PACKAGE_ROOT = 2;
const ONNX_EXTENSION = ".onnx";
const BATCH_EXTENSION = /\.(?:bat|cmd)$/i;
/** The model our engine loads when no EvalFile is given, relative to the package root. */
const OUR_DEFAULT_MODEL = join("models", "base.onnx");

/**
 * Client time-outs that the arena uses in place of UsiClient's defaults, unless the plan sets
 * them. Starting two Fairy-Stockfish WebAssembly processes at once on a loaded two-core machine
 * took over 10 s (UsiClient's default wait for `usiok`) in one measured run.
 */
const ARENA_TIMEOUTS: Partial<ClientTimeouts> = { handshakeMs: 30_000 };

/** YaneuraOu's names of the entering-king rules, which engines that declare the option accept. */
const ENTERING_KING_OPTION_VALUES: Record<EnteringKingRule, string> = {
  none: "NoEnteringKing",
  csa24: "CSARule24",
  csa27: "CSARule27",
  try: "TryRule",
};

/** Resolves an engine of the plan; throws PlanError when a reference program is not installed. */
export function resolveEngine(spec: EngineSpec): ResolvedEngine {
  const base = { name: spec.name, options: { ...spec.options }, timeouts: { ...ARENA_TIMEOUTS, ...spec.timeouts } };
  switch (spec.type) {
    case "ours":
      return resolveOurs(spec, base);
    case "reference":
      return { name: spec.name, spec, config: { ...base, ...referenceCommand(spec.profile) } };
    case "command":
      return { name: spec.name, spec, config: { ...base, ...batchCommand(spec.command, spec.args), ...(spec.cwd ? { cwd: spec.cwd } : {}) } };
  }
}

function resolveOurs(spec: Extract<EngineSpec, { type: "ours" }>, base: Omit<UsiClientConfig, "command" | "args">): ResolvedEngine {
  const root = packageRoot();
  const options = { ...base.options };
  if (spec.model !== undefined && options.EvalFile === undefined) options.EvalFile = spec.model;
  const config: UsiClientConfig = { ...base, options, command: process.execPath, args: [join(root, USI_ENGINE_LAUNCHER)] };
  const model = options.EvalFile === undefined ? undefined : String(options.EvalFile);
  const resolved: ResolvedEngine = { name: spec.name, spec, config };
  if (model !== undefined) resolved.model = model;
  const modelFile = modelPath(model, root);
  if (modelFile !== undefined) resolved.modelHash = readModelFile(modelFile).card.contentHash;
  return resolved;
}

/** The .onnx file our engine will load, resolved as the engine resolves EvalFile, or undefined for "material". */
function modelPath(model: string | undefined, root: string): string | undefined {
  const file = model ?? OUR_DEFAULT_MODEL;
  if (!file.toLowerCase().endsWith(ONNX_EXTENSION)) return undefined;
  return isAbsolute(file) ? file : resolve(root, file);
}

/**
 * Runs Windows batch files through cmd.exe, because Node 20.12.2 and later refuse to spawn .bat
 * and .cmd files without a shell (the fix for CVE-2024-27980).
 * NOTE: only the command line is tested; no arena has run on Windows yet.
 */
export function batchCommand(command: string, args: readonly string[], platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform !== "win32" || !BATCH_EXTENSION.test(command)) return { command, args: [...args] };
  return { command: "cmd.exe", args: ["/d", "/s", "/c", command, ...args] };
}

function referenceCommand(profile: ReferenceProfile): { command: string; args: string[] } {
  if (profile === "fsf-wasm") {
    const engine = fsfWasmEngine();
    return { command: engine.command, args: [...engine.args] };
  }
  const path = profile === "fsf" ? FSF_NATIVE_PATH : GPSUSI_PATH;
  if (!isExecutable(path)) {
    const pkg = profile === "fsf" ? "fairy-stockfish" : "gpsshogi";
    throw new PlanError(`reference engine "${profile}" is not installed: ${path} is missing; install the Debian package ${pkg}`);
  }
  return { command: path, args: [] };
}

/**
 * Options that tell an engine the game rules, for engines that declare them and whose plan did
 * not set them: EnteringKingRule (YaneuraOu's values) and MaxMovesToDraw.
 */
export function ruleOptions(
  declared: readonly OptionDeclaration[],
  requested: Readonly<Record<string, OptionValue>>,
  rules: { enteringKingRule: EnteringKingRule; maxPlies: number },
): Record<string, OptionValue> {
  const names = new Set(declared.map((option) => option.name));
  const options: Record<string, OptionValue> = {};
  if (names.has("EnteringKingRule") && requested.EnteringKingRule === undefined) {
    options.EnteringKingRule = ENTERING_KING_OPTION_VALUES[rules.enteringKingRule];
  }
  if (names.has("MaxMovesToDraw") && requested.MaxMovesToDraw === undefined) options.MaxMovesToDraw = rules.maxPlies;
  return options;
}

/** Finds the package root (the folder holding bin/usi-engine.js) from this module's location. */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < MAX_LEVELS_TO_PACKAGE_ROOT; level++) {
    folder = dirname(folder);
    if (existsSync(join(folder, USI_ENGINE_LAUNCHER))) return folder;
  }
  throw new Error(`${USI_ENGINE_LAUNCHER} not found above ${fileURLToPath(import.meta.url)}; is the package complete?`);
}

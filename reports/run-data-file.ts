// Reading and writing run-data.json in a run folder.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RUN_DATA_FILE, type RunData } from "./run-data.js";
import { validateRunData } from "./validate.js";

/** Reads and validates `RUN_DATA_FILE` of a run folder; errors name the file and the invalid field. */
export function readRunData(runDir: string): RunData {
  const file = path.join(runDir, RUN_DATA_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the run data ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return validateRunData(json);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Validates `data` and writes it as `RUN_DATA_FILE` of a run folder. The text goes to a temporary
 * file that is then renamed over the old one, so a reader sees either the old file or the new one.
 */
export function writeRunData(runDir: string, data: RunData): void {
  validateRunData(data);
  const file = path.join(runDir, RUN_DATA_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(temporary, file);
}

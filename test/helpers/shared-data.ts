// Locates the public shogi data that sits beside a developer's or CI's checkout. A user's clone has
// none, so suites that read it skip and print why.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Folder of the shared data set, next to the project checkout. */
export const SHARED_DATA = path.resolve(projectRoot, "../shared/data");
export const hasSharedData = existsSync(SHARED_DATA);

if (!hasSharedData) {
  console.log(`skipping suites that read shared data: ${SHARED_DATA} does not exist`);
}

export function sharedPath(relative: string): string {
  return path.join(SHARED_DATA, relative);
}

/** Reads a tab-separated file of the shared data, without '#' comment lines and blank lines. */
export function readTsv(relative: string): string[][] {
  return readFileSync(sharedPath(relative), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t"));
}

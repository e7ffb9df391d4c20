// Our CSA output of ShogiHome's batch-conversion inputs has the same move and ending lines as the
// CSA files that ShogiHome's own tests expect from that conversion.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { makeCsa, readRecordFile } from "../../shogi/records/index.js";
import { SHARED_DATA, SKIP_REASON, listRecordFiles, sharedDataMissing } from "./shared-data.js";

if (sharedDataMissing) console.log(SKIP_REASON);

const CONVERSION = "sunfish-shogi__shogihome/src/tests/testdata/conversion";
const GOLDEN_PREFIX = `${CONVERSION}/output/all-to-csa/`;
/** Output folders that mirror the input tree; "not-create-subdir" renames clashing files instead. */
const MIRRORED_VARIANTS = ["with-subdir", "without-subdir", "v3"];
const INPUT_EXTENSIONS = [".kif", ".kifu", ".ki2", ".ki2u", ".csa"];
/** Move statements and % endings; T lines differ where the input has no times. */
const MOVE_OR_ENDING = /^(?:[-+][0-9]{4}[A-Z]{2}|%[-+A-Z_]+)$/;

interface GoldenCase {
  golden: string;
  input: string;
  version: "2.2" | "3.0";
}

function goldenCases(): GoldenCase[] {
  return listRecordFiles()
    .filter((file) => file.id.startsWith(GOLDEN_PREFIX))
    .flatMap((file) => {
      const [variant, ...rest] = file.id.slice(GOLDEN_PREFIX.length).split("/");
      if (!MIRRORED_VARIANTS.includes(variant)) return [];
      const stem = path.join(SHARED_DATA, CONVERSION, "input", ...rest).replace(/\.csa$/, "");
      const input = INPUT_EXTENSIONS.map((extension) => stem + extension).find((candidate) => existsSync(candidate));
      if (input === undefined) return [];
      return [{ golden: file.absolutePath, input, version: variant === "v3" ? "3.0" : "2.2" } as const];
    });
}

function moveLines(csa: string): string[] {
  return csa.split(/\r?\n/).filter((line) => MOVE_OR_ENDING.test(line));
}

describe.skipIf(sharedDataMissing)("CSA output against ShogiHome's expected conversions", () => {
  const cases = sharedDataMissing ? [] : goldenCases();

  test("every mirrored golden file has its input", () => {
    expect(cases.length).toBe(MIRRORED_VARIANTS.length * 5 + 3);
  });

  test.each(cases.map((entry) => [path.relative(SHARED_DATA, entry.golden), entry] as const))("%s", async (_name, entry) => {
    const ours = makeCsa(await readRecordFile(entry.input), { version: entry.version });
    const expected = readFileSync(entry.golden, "utf8");
    expect(moveLines(ours)).toEqual(moveLines(expected));
    expect(moveLines(ours).length).toBeGreaterThan(0);
    expect(ours.split("\n")[entry.version === "3.0" ? 1 : 0]).toBe(`V${entry.version}`);
  });
});

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ELO_REPORT_KEYS, pentanomial, SPRT_REPORT_KEYS, trinomial } from "../../arena/stats/index.js";
import { runElo } from "../../cli/elo.js";
import { runSprt } from "../../cli/sprt.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function lastJsonLine(output: string): Record<string, unknown> {
  const lines = output.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ["bin/shogi-lab.js", ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("runElo", () => {
  it("JSON has the report keys", () => {
    const report = lastJsonLine(runElo({ counts: trinomial(136, 111, 96), json: true }));
    expect(Object.keys(report)).toEqual([...ELO_REPORT_KEYS]);
    expect(report.elo).toBeCloseTo(40.7, 2);
    expect(report.elo95).toBeCloseTo(30.43, 2);
    expect(report.nelo).toBeCloseTo(49.77, 2);
    expect(report.nelo95).toBeCloseTo(36.77, 2);
    expect(report.los).toBeCloseTo(0.996, 4);
  });

  it("text names every key", () => {
    const text = runElo({ counts: pentanomial([34, 54, 63, 64, 75]), json: false });
    for (const key of ELO_REPORT_KEYS) expect(text).toMatch(new RegExp(`^${key} `, "m"));
    expect(text).toContain("+55.58");
  });
});

describe("runSprt", () => {
  it("JSON has the report keys", () => {
    const options = { elo0: 0, elo1: 3, model: "normalized", alpha: 0.05, beta: 0.1, json: true } as const;
    const report = lastJsonLine(runSprt({ counts: pentanomial([46, 496, 1073, 640, 79]), ...options }));
    expect(Object.keys(report)).toEqual([...SPRT_REPORT_KEYS]);
    expect(report.llr).toBeCloseTo(2.89, 2);
    expect(report.lower).toBeCloseTo(-2.251, 3);
    expect(report.upper).toBeCloseTo(2.89, 3);
    expect(report.decision).toBe("H1");
  });
});

describe("shogi-lab binary", () => {
  beforeAll(() => {
    // The global setup compiles the project into dist/, which the binary runs.
    expect(existsSync(`${ROOT}/dist/cli/elo.js`)).toBe(true);
  });

  it("elo --json prints the report", () => {
    const { status, stdout } = runCli(["elo", "--wdl", "76,123,89", "--json"]);
    expect(status).toBe(0);
    const report = lastJsonLine(stdout);
    expect(Object.keys(report)).toEqual([...ELO_REPORT_KEYS]);
    expect(report.elo).toBeCloseTo(-15.69, 2);
    expect(report.los).toBeCloseTo(0.1553, 4);
  });

  it("sprt --json prints the decision", () => {
    const args = ["sprt", "--penta", "871,26175,55983,26678,821", "--elo0", "0", "--elo1", "2", "--model", "logistic", "--json"];
    const { status, stdout } = runCli(args);
    expect(status).toBe(0);
    const report = lastJsonLine(stdout);
    expect(Object.keys(report)).toEqual([...SPRT_REPORT_KEYS]);
    expect(report.llr).toBeCloseTo(-4.98, 2);
    expect(report.decision).toBe("H0");
  });

  const badInputs = [
    { args: ["elo", "--wdl", "10,5"], shows: '"10,5" has 2 counts' },
    { args: ["elo", "--wdl", "10,-5,3"], shows: 'count "-5"' },
    { args: ["elo", "--penta", "0,0,0,0,0"], shows: '"0,0,0,0,0" are zero' },
    { args: ["elo"], shows: "--wdl W,D,L or --penta" },
    { args: ["sprt", "--wdl", "1,2,3", "--elo0", "2", "--elo1", "1"], shows: "--elo0 2 must be less than --elo1 1" },
    { args: ["sprt", "--wdl", "1,2,3", "--elo0", "0", "--elo1", "2", "--alpha", "1.5"], shows: '"1.5" is not a probability' },
  ];
  for (const { args, shows } of badInputs) {
    it(`rejects ${args.join(" ")}`, () => {
      const { status, stderr } = runCli(args);
      expect(status).toBe(1);
      expect(stderr).toContain(shows);
    });
  }
});

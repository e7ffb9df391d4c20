import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../cli/main.js";
import { runTrain } from "../../cli/train.js";
import { readModelFile } from "../../nn/onnx-reader.js";
import { type TestData, makeTestData } from "./helpers.js";

let data: TestData;

beforeAll(async () => {
  data = await makeTestData("train-command", 800, 200, 81);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

describe("train command", () => {
  it("trains, exports and writes one metrics line per epoch", async () => {
    const out = path.join(data.folder, "student.onnx");
    const metrics = path.join(data.folder, "metrics.jsonl");
    const summary = await runTrain({
      data: [data.train], val: data.val, out, arch: "p", l1: 8, hidden: [4, 4], lambda: 0.5, optimizer: "sgd", momentum: 0.9,
      schedule: "cosine", lrDecay: 0.5, lrStepEpochs: 1, warmupSteps: 2, batch: 64, epochs: 2, patience: 0, workers: 1, seed: 3,
      shuffleBuffer: 512, metrics, moveAgreement: true, teacherName: "material", teacherSettings: { depth: 1 }, json: true, factorize: false,
    }, false);

    const { card } = readModelFile(out);
    expect(card.contentHash).toBe(summary.contentHash);
    expect(card.provenance.teacher).toEqual({ engine: "material", settings: { depth: 1 } });
    const lines = readFileSync(metrics, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((line) => line.epoch)).toEqual([1, 2]);
    for (const key of ["trainLoss", "valLoss", "moveAgreement", "scoreCorrelation", "samplesPerSecond", "elapsedSeconds"]) {
      expect(typeof lines[1][key], key).toBe("number");
    }
  });

  it("help states units and defaults", () => {
    const help = buildProgram().commands.find((command) => command.name() === "train")?.helpInformation() ?? "";
    expect(help).toContain("--batch <samples>");
    expect(help).toContain("(default: 8192)");
    expect(help).toContain("--lr <rate>");
  });
});

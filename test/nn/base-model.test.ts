import { statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { architectureName } from "../../nn/architecture.js";
import { materialWeights } from "../../nn/material.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { type LoadedModel, readModelFile } from "../../nn/onnx-reader.js";
import { contentHash } from "../../nn/weights.js";
import { Position } from "../../shogi/position.js";

const BASE_MODEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models/base.onnx");
const GIT_FRIENDLY_BYTES = 5 * 1024 * 1024;

const CASES = [
  { label: "start position", sfen: "startpos", score: 0 },
  { label: "Black a rook up, Black to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1", score: 990 },
  { label: "Black a rook up, White to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1", score: -990 },
  { label: "White a rook up in hand, White to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B7/LNSGKGSNL w r 1", score: 990 },
  { label: "a dragon against a bishop in hand", sfen: "4k4/9/9/9/9/9/9/1+R7/4K4 b b 1", score: 1395 - 855 },
];

describe("models/base.onnx", () => {
  let model: LoadedModel;
  let onnx: OnnxEvaluator;

  beforeAll(async () => {
    model = readModelFile(BASE_MODEL);
    onnx = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
  });
  afterAll(async () => onnx.release());

  it("is small enough for git and holds the material weights", () => {
    expect(statSync(BASE_MODEL).size).toBeLessThan(GIT_FRIENDLY_BYTES);
    expect(architectureName(model.card.architecture)).toBe("p_256x2-32-32");
    expect(model.card.provenance.source).toBe("material placeholder");
    expect(model.card.contentHash, "regenerate with `shogi-lab model material models/base.onnx`").toBe(contentHash(materialWeights()));
  });

  it.each(CASES)("scores $label as material in ONNX Runtime", async ({ sfen, score }) => {
    const [actual] = await onnx.evaluate([Position.fromSfen(sfen)]);
    expect(actual).toBeCloseTo(score, 0);
  });

  it.each(CASES)("scores $label as material natively", ({ sfen, score }) => {
    const native = new NativeEvaluator(model.weights, { maxPly: 1 });
    const pos = Position.fromSfen(sfen);
    native.reset(pos);
    expect(native.evaluate(pos)).toBeCloseTo(score, 0);
  });
});

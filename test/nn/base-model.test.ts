import { statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { architectureName } from "../../nn/architecture.js";
import { MATERIAL_CARD, materialWeights } from "../../nn/material.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { encodeModel } from "../../nn/onnx-writer.js";
import { type LoadedModel, decodeModel, readModelFile } from "../../nn/onnx-reader.js";
import { Position } from "../../shogi/position.js";

const BASE_MODEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models/base.onnx");
const GIT_FRIENDLY_BYTES = 5 * 1024 * 1024;
/** ONNX Runtime and the native evaluator sum in different orders; they agree to this many centipawns. */
const EVALUATOR_TOLERANCE = 0.05;

const MATERIAL_CASES = [
  { label: "start position", sfen: "startpos", score: 0 },
  { label: "Black a rook up, Black to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1", score: 990 },
  { label: "Black a rook up, White to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1", score: -990 },
  { label: "White a rook up in hand, White to move", sfen: "lnsgkgsnl/7b1/ppppppppp/9/9/9/PPPPPPPPP/1B7/LNSGKGSNL w r 1", score: 990 },
  { label: "a dragon against a bishop in hand", sfen: "4k4/9/9/9/9/9/9/1+R7/4K4 b b 1", score: 1395 - 855 },
];

function nativeScore(model: LoadedModel, sfen: string): number {
  const native = new NativeEvaluator(model.weights, { maxPly: 1 });
  const pos = Position.fromSfen(sfen);
  native.reset(pos);
  return native.evaluate(pos);
}

describe("material model", () => {
  let model: LoadedModel;
  let onnx: OnnxEvaluator;

  beforeAll(async () => {
    model = decodeModel(encodeModel(materialWeights(), MATERIAL_CARD));
    onnx = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
  });
  afterAll(async () => onnx.release());

  it.each(MATERIAL_CASES)("scores $label as material in ONNX Runtime", async ({ sfen, score }) => {
    const [actual] = await onnx.evaluate([Position.fromSfen(sfen)]);
    expect(actual).toBeCloseTo(score, 0);
  });

  it.each(MATERIAL_CASES)("scores $label as material natively", ({ sfen, score }) => {
    expect(nativeScore(model, sfen)).toBeCloseTo(score, 0);
  });
});

describe("models/base.onnx", () => {
  let model: LoadedModel;
  let onnx: OnnxEvaluator;

  beforeAll(async () => {
    model = readModelFile(BASE_MODEL);
    onnx = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
  });
  afterAll(async () => onnx.release());

  it("is a trained student small enough for git", () => {
    expect(statSync(BASE_MODEL).size).toBeLessThan(GIT_FRIENDLY_BYTES);
    expect(architectureName(model.card.architecture)).toBe("p_128x2-32-32");
    expect(model.card.provenance.source).toBe("trained");
    expect(model.card.provenance.teacher?.engine).toMatch(/Fairy-Stockfish/);
    expect(model.card.provenance.notes).toMatch(/gensfen --teacher fsf --depth 6/);
  });

  it.each(MATERIAL_CASES)("scores $label alike in ONNX Runtime and natively", async ({ sfen }) => {
    const [viaOnnx] = await onnx.evaluate([Position.fromSfen(sfen)]);
    expect(Math.abs(viaOnnx - nativeScore(model, sfen))).toBeLessThan(EVALUATOR_TOLERANCE);
  });

  it("values a rook more than a pawn, from either side", () => {
    // The teacher's pawn is about 40 of its centipawns, so a rook up is worth over 200 to the side
    // that has it, with either side to move.
    expect(nativeScore(model, MATERIAL_CASES[1].sfen)).toBeGreaterThan(200);
    expect(nativeScore(model, MATERIAL_CASES[2].sfen)).toBeLessThan(-200);
    expect(nativeScore(model, MATERIAL_CASES[3].sfen)).toBeGreaterThan(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HALFKP_256X2_32_32, makeArchitecture } from "../../nn/architecture.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import {
  NNUE_ARCHITECTURE_STRING, NNUE_FILE_HASH, NNUE_FILE_SIZE, NNUE_VERSION, exportNnueBin, importNnueBin, networkHash,
  transformerHash,
} from "../../nn/nnue-bin.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { type LoadedModel, decodeModel } from "../../nn/onnx-reader.js";
import { encodeModel } from "../../nn/onnx-writer.js";
import { type NetworkWeights, randomWeights } from "../../nn/weights.js";
import { Position } from "../../shogi/position.js";
import { randomGames, relativeDifference } from "./helpers.js";

const NETWORK_OFFSET = 64_199_362;

function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, true);
}

/** Largest |a - b| over the elements where `skip` is false. */
function maxError(a: Float32Array, b: Float32Array, skip: (value: number) => boolean = () => false): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (!skip(a[i])) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe("nn.bin constants", () => {
  it("match YaneuraOu's halfkp_256x2-32-32", () => {
    expect(transformerHash(256)).toBe(0x5d69d7b8);
    expect(networkHash(256, [32, 32])).toBe(0x63337156);
    expect(NNUE_FILE_HASH).toBe(0x3e5aa6ee);
    expect(NNUE_VERSION).toBe(0x7af32f16);
    expect(NNUE_ARCHITECTURE_STRING).toHaveLength(178);
    expect(NNUE_FILE_SIZE).toBe(64_217_066);
  });
});

describe("nn.bin export and import", () => {
  let original: NetworkWeights;
  let exported: Uint8Array;
  let imported: NetworkWeights;

  beforeAll(() => {
    original = randomWeights(HALFKP_256X2_32_32, 31);
    exported = exportNnueBin(original).bytes;
    imported = importNnueBin(exported, "random.nn.bin");
  });

  it("writes the header byte by byte", () => {
    expect(exported.length).toBe(64_217_066);
    expect(Array.from(exported.subarray(0, 12))).toEqual([0x16, 0x2f, 0xf3, 0x7a, 0xee, 0xa6, 0x5a, 0x3e, 178, 0, 0, 0]);
    expect(new TextDecoder().decode(exported.subarray(12, 190))).toBe(NNUE_ARCHITECTURE_STRING);
    expect(Array.from(exported.subarray(190, 194)), "transformer hash").toEqual([0xb8, 0xd7, 0x69, 0x5d]);
    expect(u32At(exported, NETWORK_OFFSET), "network hash").toBe(0x63337156);
  });

  it("reproduces the network within quantisation error", () => {
    expect(maxError(original.ftBias, imported.ftBias)).toBeLessThanOrEqual(0.5 / 127 + 1e-7);
    expect(maxError(original.ftWeights, imported.ftWeights)).toBeLessThanOrEqual(0.5 / 127 + 1e-7);
    const [l1, l2, out] = [0, 1, 2].map((i) => [original.layers[i], imported.layers[i]]);
    for (const [a, b] of [l1, l2]) {
      expect(maxError(a.weights, b.weights, (w) => Math.abs(w) > 127 / 64)).toBeLessThanOrEqual(0.5 / 64 + 1e-7);
      expect(maxError(a.bias, b.bias)).toBeLessThanOrEqual(0.5 / 8128 + 1e-7);
    }
    expect(maxError(out[0].weights, out[1].weights)).toBeLessThanOrEqual((0.5 * 127) / 9600 + 1e-7);
    expect(maxError(out[0].bias, out[1].bias)).toBeLessThanOrEqual(0.5 / 9600 + 1e-7);
  });

  it("exports an imported file byte for byte", () => {
    expect(Buffer.from(exportNnueBin(imported).bytes).equals(Buffer.from(exported))).toBe(true);
  });

  it("clamps hidden weights and says so", () => {
    const layer2 = original.layers[1];
    const large = { ...original, layers: [original.layers[0], { ...layer2, weights: layer2.weights.slice() }, original.layers[2]] };
    large.layers[1].weights[0] = 3;
    const { bytes, warnings } = exportNnueBin(large);
    expect(warnings.join("\n")).toMatch(/layer 2: 1 weights clamped/);
    const layer2Weights = NETWORK_OFFSET + 4 + 4 * 32 + 32 * 512 + 4 * 32;
    expect(new DataView(bytes.buffer).getInt8(layer2Weights), "int8 limit").toBe(127);
  });

  it("rejects another architecture, version or size", () => {
    expect(() => exportNnueBin(randomWeights(makeArchitecture({ featureSet: "p" }), 1))).toThrow(/supports halfkp_256x2-32-32/);
    const wrongVersion = Uint8Array.from(exported.subarray(0, 1024));
    expect(() => importNnueBin(wrongVersion, "short.bin")).toThrow(/^short.bin: size 1024 bytes does not match/);
    wrongVersion[0] ^= 1;
    expect(() => importNnueBin(wrongVersion, "v.bin")).toThrow(/^v.bin: version 0x7AF32F17 is not/);
  });

  describe("imported into ONNX", () => {
    let model: LoadedModel;
    let onnx: OnnxEvaluator;

    beforeAll(async () => {
      model = decodeModel(encodeModel(imported, { provenance: { source: "imported from nn.bin" }, metrics: {} }), "imported.onnx");
      onnx = await OnnxEvaluator.create(model, { intraOpNumThreads: 1 });
    });
    afterAll(async () => onnx.release());

    it("evaluates as the native evaluator does", async () => {
      const native = new NativeEvaluator(model.weights, { maxPly: 512 });
      const positions: Position[] = [];
      const scores: number[] = [];
      for (const game of randomGames(41, 2, 120)) {
        const pos = Position.startpos();
        native.reset(pos);
        for (const move of game.moves) {
          native.push(pos, move);
          pos.doMove(move);
          positions.push(pos.clone());
          scores.push(native.evaluate(pos));
        }
      }
      const actual = await onnx.evaluate(positions);
      scores.forEach((score, i) => expect(relativeDifference(score, actual[i]), positions[i].sfen()).toBeLessThan(1e-4));
    });
  });
});

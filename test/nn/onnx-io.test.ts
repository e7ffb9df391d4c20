import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { makeArchitecture } from "../../nn/architecture.js";
import { ModelError, decodeModel, readModelFile } from "../../nn/onnx-reader.js";
import { encodeModel } from "../../nn/onnx-writer.js";
import { contentHash, randomWeights, weightTensors } from "../../nn/weights.js";

const { onnx } = onnxProto;
const ARCH = makeArchitecture({ featureSet: "p", l1: 32, hidden: [16, 8] });
const WEIGHTS = randomWeights(ARCH, 21);
const CARD = {
  description: "random weights for reader tests",
  provenance: {
    source: "trained",
    teacher: { engine: "Fairy-Stockfish 14 (WebAssembly)", settings: { depth: 8 } },
    dataHashes: ["sha256:00"],
    parentModel: { name: "base", contentHash: "sha256:11" },
    training: { epochs: 3, learningRate: 0.001 },
  },
  metrics: { validationLoss: 0.123, games: 10 },
};
const BYTES = encodeModel(WEIGHTS, CARD);
const tempDir = mkdtempSync(path.join(tmpdir(), "shogi-lab-onnx-"));

/** Decodes the valid model, lets `edit` change it, and returns the re-encoded bytes. */
function edited(edit: (model: onnxProto.onnx.ModelProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(BYTES);
  edit(model);
  return onnx.ModelProto.encode(model).finish();
}

/** Returns the decoded graph, which decoding always creates as a GraphProto with its repeated fields set. */
function graphOf(model: onnxProto.onnx.ModelProto): onnxProto.onnx.GraphProto {
  return model.graph as onnxProto.onnx.GraphProto;
}

function setMetadata(model: onnxProto.onnx.ModelProto, key: string, value: string): void {
  const entry = model.metadataProps.find((e) => e.key === key);
  if (!entry) throw new Error(`no metadata entry ${key}`);
  entry.value = value;
}

/** Writes bytes to a file, reads it back and returns the ModelError thrown. */
function rejection(bytes: Uint8Array, name: string): ModelError {
  const file = path.join(tempDir, name);
  writeFileSync(file, bytes);
  try {
    readModelFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message.startsWith(`${file}: `), "message starts with the file name").toBe(true);
    return error as ModelError;
  }
  throw new Error(`${name} was accepted`);
}

describe("ONNX writer and reader", () => {
  it("round-trip weights and card exactly", () => {
    const model = decodeModel(BYTES);
    weightTensors(model.weights).forEach((tensor, i) => expect(tensor).toEqual(weightTensors(WEIGHTS)[i]));
    expect(model.card.architecture).toEqual(ARCH);
    expect(model.card.provenance).toEqual(CARD.provenance);
    expect(model.card.metrics).toEqual(CARD.metrics);
    expect(model.card.description).toBe(CARD.description);
    expect(model.card.contentHash).toBe(contentHash(WEIGHTS));
    expect(model.card.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("writes opset 17, IR version 8 and typed graph inputs", () => {
    const model = onnx.ModelProto.decode(BYTES);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 17]]);
    expect(model.graph?.name).toBe("shogi_nnue");
    const inputs = model.graph?.input ?? [];
    expect(inputs.map((i) => i.name)).toEqual(["us_features", "them_features"]);
    for (const input of inputs) {
      expect(input.type?.tensorType?.elemType, "int64").toBe(7);
      expect(input.type?.tensorType?.shape?.dim?.map((d) => d.dimParam)).toEqual(["batch", "max_active"]);
    }
    const output = model.graph?.output?.[0];
    expect(output?.name).toBe("score");
    expect(output?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(["batch", 1]);
  });

  it("stores the card in metadata_props", () => {
    const entries = Object.fromEntries(onnx.ModelProto.decode(BYTES).metadataProps.map((e) => [e.key, e.value]));
    expect(entries.card_version).toBe("1");
    expect(entries.feature_set).toBe("p");
    expect(entries.score_scale).toBe("600");
    expect(JSON.parse(entries.architecture)).toEqual(ARCH);
    expect(JSON.parse(entries.provenance).teacher.engine).toBe("Fairy-Stockfish 14 (WebAssembly)");
    expect(entries.content_hash).toBe(contentHash(WEIGHTS));
  });

  it("refuses to write non-finite weights", () => {
    const broken = randomWeights(ARCH, 1);
    broken.layers[1].weights[3] = Number.NaN;
    expect(() => encodeModel(broken, CARD)).toThrow(/NaN/);
  });
});

describe("ONNX reader rejections", () => {
  it("an unknown feature set", () => {
    const bytes = edited((model) => {
      setMetadata(model, "feature_set", "halfka_hm");
      setMetadata(model, "architecture", JSON.stringify({ ...ARCH, featureSet: "halfka_hm" }));
    });
    const error = rejection(bytes, "unknown-features.onnx");
    expect(error.code).toBe("feature_set");
    expect(error.message).toMatch(/unknown feature set "halfka_hm"/);
  });

  it("a missing input", () => {
    const bytes = edited((model) => {
      graphOf(model).input = graphOf(model).input.filter((input) => input.name !== "them_features");
    });
    const error = rejection(bytes, "missing-input.onnx");
    expect(error.code).toBe("input");
    expect(error.message).toMatch(/missing graph input "them_features"/);
  });

  it("truncated bytes", () => {
    const error = rejection(BYTES.subarray(0, Math.floor(BYTES.length / 2)), "truncated.onnx");
    expect(error.code).toBe("decode");
  });

  it("bytes that are not protobuf", () => {
    const error = rejection(new TextEncoder().encode("this is not an ONNX file\n".repeat(10)), "text.onnx");
    expect(error.code).toBe("decode");
  });

  it("corrupted weight bytes", () => {
    const corrupt = Uint8Array.from(BYTES);
    const middle = Math.floor(corrupt.length / 2);
    for (let i = middle; i < middle + 8; i++) corrupt[i] ^= 0x55;
    const error = rejection(corrupt, "corrupt.onnx");
    expect(error.code).toBe("hash");
  });

  it("a content hash that does not match", () => {
    const bytes = edited((model) => setMetadata(model, "content_hash", `sha256:${"0".repeat(64)}`));
    const error = rejection(bytes, "hash.onnx");
    expect(error.code).toBe("hash");
    expect(error.message).toMatch(/in the model card does not match the weights/);
  });

  it("an initializer of the wrong shape", () => {
    const bytes = edited((model) => {
      const bias = graphOf(model).initializer.find((t) => t.name === "fc0.bias")!;
      bias.dims = [15];
    });
    const error = rejection(bytes, "shape.onnx");
    expect(error.code).toBe("initializer");
    expect(error.message).toMatch(/"fc0.bias" has shape \[15\], expected \[16\]/);
  });

  it("a graph that differs from the architecture", () => {
    const bytes = edited((model) => {
      const clip = graphOf(model).node.find((n) => n.name === "fc0_clip")!;
      clip.opType = "Relu";
    });
    expect(rejection(bytes, "graph.onnx").code).toBe("graph");
  });

  it("a file without a model card", () => {
    const bytes = edited((model) => {
      model.metadataProps = [];
    });
    const error = rejection(bytes, "no-card.onnx");
    expect(error.code).toBe("card");
    expect(error.message).toMatch(/"card_version" is missing/);
  });

  it("a missing file", () => {
    const file = path.join(tempDir, "absent.onnx");
    expect(() => readModelFile(file)).toThrow(new RegExp(`^${file}: cannot read the model file`));
  });
});

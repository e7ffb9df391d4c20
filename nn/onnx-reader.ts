// ONNX reader: parses a model file, checks it against the layout of onnx-graph.ts and its own
// model card, and returns the card with typed float weights.

import { readFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import { type Architecture, architectureName } from "./architecture.js";
import { FEATURE_SET_NAMES, isFeatureSetName } from "./features.js";
import { type MetadataEntry, type ModelCard, cardFromMetadata } from "./model-card.js";
import {
  FLOAT_TYPE, INT64_TYPE, type InitializerSpec, SCORE_OUTPUT, THEM_INPUT, US_INPUT, initializerSpecs, nodeSpecs,
} from "./onnx-graph.js";
import { type NetworkWeights, contentHash, createWeights, floatsFromLittleEndian, weightTensors } from "./weights.js";

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type Int64 = number | { toNumber(): number };

export type ModelErrorCode = "read" | "decode" | "card" | "feature_set" | "input" | "output" | "graph" | "initializer" | "hash";

/** A model file that cannot be used; the message starts with the file name. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = "ModelError";
  }
}

export interface LoadedModel {
  file: string;
  card: ModelCard;
  weights: NetworkWeights;
  /** The file's bytes, for handing to ONNX Runtime without reading the file again. */
  bytes: Uint8Array;
}

/** Reads and validates a model file; throws ModelError. */
export function readModelFile(path: string): LoadedModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ModelError("read", path, `cannot read the model file (${(error as Error).message})`);
  }
  return decodeModel(bytes, path);
}

/** Parses and validates model bytes; `file` names them in error messages. Throws ModelError. */
export function decodeModel(bytes: Uint8Array, file = "<model bytes>"): LoadedModel {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelError("decode", file, `not a valid ONNX file, the protobuf decoding failed (${(error as Error).message})`);
  }
  if (!model.graph) throw new ModelError("decode", file, "the ONNX model has no graph");
  const card = readCard(model.metadataProps as MetadataEntry[], file);
  checkGraphInterface(model.graph, file);
  checkNodes(model.graph, card.architecture, file);
  const weights = readWeights(model.graph, card.architecture, file);
  const actualHash = contentHash(weights);
  if (actualHash !== card.contentHash) {
    throw new ModelError("hash", file, `content hash ${card.contentHash || "(empty)"} in the model card does not match the weights, which hash to ${actualHash}; the file is corrupt or was edited`);
  }
  return { file, card, weights, bytes };
}

function readCard(entries: MetadataEntry[], file: string): ModelCard {
  const declared = [entries.find((e) => e.key === "feature_set")?.value];
  const architectureText = entries.find((e) => e.key === "architecture")?.value;
  try {
    if (architectureText) declared.push(JSON.parse(architectureText)?.featureSet);
  } catch {
    // An invalid architecture entry is reported by cardFromMetadata below.
  }
  for (const name of declared) {
    if (name !== undefined && !isFeatureSetName(String(name))) {
      throw new ModelError("feature_set", file, `unknown feature set "${name}"; this build knows ${FEATURE_SET_NAMES.join(", ")}`);
    }
  }
  try {
    return cardFromMetadata(entries);
  } catch (error) {
    throw new ModelError("card", file, `invalid model card: ${(error as Error).message}`);
  }
}

function checkGraphInterface(graph: onnxProto.onnx.IGraphProto, file: string): void {
  for (const name of [US_INPUT, THEM_INPUT]) {
    const input = graph.input?.find((value) => value.name === name);
    if (!input) throw new ModelError("input", file, `missing graph input "${name}" (int64 feature indices)`);
    const elemType = input.type?.tensorType?.elemType;
    if (elemType !== INT64_TYPE) throw new ModelError("input", file, `graph input "${name}" has element type ${elemType}, expected int64 (${INT64_TYPE})`);
  }
  if (!graph.output?.some((value) => value.name === SCORE_OUTPUT)) {
    throw new ModelError("output", file, `missing graph output "${SCORE_OUTPUT}"`);
  }
}

function checkNodes(graph: onnxProto.onnx.IGraphProto, arch: Architecture, file: string): void {
  const expected = nodeSpecs(arch);
  const nodes = graph.node ?? [];
  if (nodes.length !== expected.length) {
    throw new ModelError("graph", file, `the graph has ${nodes.length} nodes, expected ${expected.length} for ${architectureName(arch)}`);
  }
  expected.forEach((spec, i) => {
    const node = nodes[i];
    const attributes = Object.fromEntries((node.attribute ?? []).map((a) => [a.name, toNumber(a.i ?? 0)]));
    const same =
      node.opType === spec.opType &&
      JSON.stringify(node.input) === JSON.stringify(spec.inputs) &&
      JSON.stringify(node.output) === JSON.stringify(spec.outputs) &&
      Object.entries(spec.attributes).every(([name, value]) => attributes[name] === value);
    if (!same) {
      throw new ModelError("graph", file, `node ${i} is ${node.opType}(${node.input?.join(", ")}), expected ${spec.opType}(${spec.inputs.join(", ")}) with ${JSON.stringify(spec.attributes)}`);
    }
  });
}

function toNumber(value: Int64): number {
  return typeof value === "number" ? value : value.toNumber();
}

/** Values of an initializer as numbers (float or int64), checking type and element count. */
function tensorValues(tensor: TensorProto, spec: InitializerSpec, file: string): Float32Array | number[] {
  const count = spec.dims.reduce((a, b) => a * b, 1);
  const fail = (detail: string): never => {
    throw new ModelError("initializer", file, `initializer "${spec.name}" ${detail}`);
  };
  const dims = (tensor.dims ?? []).map(toNumber);
  if (tensor.dataType !== spec.dataType) fail(`has data type ${tensor.dataType}, expected ${spec.dataType}`);
  if (JSON.stringify(dims) !== JSON.stringify(spec.dims)) fail(`has shape [${dims}], expected [${spec.dims}]`);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : undefined;
  if (spec.dataType === INT64_TYPE) {
    if (raw) fail("stores int64 values as raw data, which this reader does not accept");
    const values = (tensor.int64Data ?? []).map(toNumber);
    if (values.length !== count) fail(`has ${values.length} values, expected ${count}`);
    return values;
  }
  if (raw) {
    if (raw.length !== 4 * count) fail(`has ${raw.length} bytes of data, expected ${4 * count}`);
    return floatsFromLittleEndian(raw, count);
  }
  const floats = tensor.floatData ?? [];
  if (floats.length !== count) fail(`has ${floats.length} values, expected ${count}`);
  return Float32Array.from(floats);
}

function readWeights(graph: onnxProto.onnx.IGraphProto, arch: Architecture, file: string): NetworkWeights {
  const weights = createWeights(arch);
  const tensors = weightTensors(weights);
  const byName = new Map((graph.initializer ?? []).map((tensor) => [tensor.name, tensor]));
  for (const spec of initializerSpecs(arch)) {
    const tensor = byName.get(spec.name);
    if (!tensor) throw new ModelError("initializer", file, `missing initializer "${spec.name}"`);
    const values = tensorValues(tensor, spec, file);
    if (spec.constant) {
      if (JSON.stringify(Array.from(values)) !== JSON.stringify(spec.constant)) {
        throw new ModelError("graph", file, `constant "${spec.name}" is [${Array.from(values)}], expected [${spec.constant}]`);
      }
    } else if (spec.weightIndex >= 0) {
      tensors[spec.weightIndex].set(values);
    } else {
      copyTransformer(values as Float32Array, weights, file);
    }
  }
  return weights;
}

/** Copies the padded transformer into the weights and checks that the padding row is zero. */
function copyTransformer(padded: Float32Array, weights: NetworkWeights, file: string): void {
  const rows = weights.ftWeights.length;
  weights.ftWeights.set(padded.subarray(0, rows));
  for (let i = rows; i < padded.length; i++) {
    if (padded[i] !== 0) throw new ModelError("initializer", file, "the padding row of ft.weight (the last row) is not all zeros");
  }
}

// ONNX writer: weights and a model card become one .onnx file (opset 17, IR version 8) with the
// graph of onnx-graph.ts and the card in metadata_props.

import { writeFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import { validateArchitecture } from "./architecture.js";
import { featureSet } from "./features.js";
import { type ModelCard, cardToMetadata } from "./model-card.js";
import {
  ACTIVE_DIM, BATCH_DIM, FLOAT_TYPE, GRAPH_NAME, INT64_TYPE, INT_ATTRIBUTE, IR_VERSION, type InitializerSpec,
  type NodeSpec, OPSET_VERSION, SCORE_OUTPUT, THEM_INPUT, US_INPUT, initializerSpecs, nodeSpecs,
} from "./onnx-graph.js";
import { type NetworkWeights, contentHash, littleEndianBytes, weightTensors } from "./weights.js";

const { onnx } = onnxProto;

export const PRODUCER_NAME = "shogi-lab";

/** Copies the transformer weights and appends the zero padding row (row index = dimensions). */
function paddedTransformer(weights: NetworkWeights): Float32Array {
  const padded = new Float32Array(weights.ftWeights.length + weights.architecture.l1);
  padded.set(weights.ftWeights);
  return padded;
}

function tensorProto(spec: InitializerSpec, weights: NetworkWeights, tensors: Float32Array[]): onnxProto.onnx.ITensorProto {
  const base = { name: spec.name, dims: spec.dims, dataType: spec.dataType };
  if (spec.dataType === INT64_TYPE) return { ...base, int64Data: spec.constant };
  if (spec.constant) return { ...base, floatData: spec.constant };
  const data = spec.weightIndex < 0 ? paddedTransformer(weights) : tensors[spec.weightIndex];
  return { ...base, rawData: littleEndianBytes(data) };
}

function nodeProto(spec: NodeSpec): onnxProto.onnx.INodeProto {
  return {
    name: spec.name,
    opType: spec.opType,
    input: spec.inputs,
    output: spec.outputs,
    attribute: Object.entries(spec.attributes).map(([name, value]) => ({ name, type: INT_ATTRIBUTE, i: value })),
  };
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>, docString: string): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return { name, docString, type: { tensorType: { elemType, shape: { dim } } } };
}

function checkWeights(weights: NetworkWeights): void {
  const arch = validateArchitecture(weights.architecture);
  const expected = featureSet(arch.featureSet).dimensions * arch.l1;
  if (weights.ftWeights.length !== expected) {
    throw new Error(`transformer weights have ${weights.ftWeights.length} values, expected ${expected} for ${arch.featureSet} x ${arch.l1}`);
  }
  for (const tensor of weightTensors(weights)) {
    for (let i = 0; i < tensor.length; i++) {
      if (!Number.isFinite(tensor[i])) throw new Error(`weights contain ${tensor[i]} at index ${i}; refusing to write a model with non-finite weights`);
    }
  }
}

/**
 * Encodes weights and a card as ONNX bytes. The card's architecture is replaced by the weights'
 * and its content hash by the hash of the weights, so the file is always self-consistent.
 */
export function encodeModel(weights: NetworkWeights, card: Omit<ModelCard, "architecture" | "contentHash">): Uint8Array {
  checkWeights(weights);
  const arch = weights.architecture;
  const tensors = weightTensors(weights);
  const fullCard: ModelCard = { ...card, architecture: arch, contentHash: contentHash(weights) };
  const inputDoc = `feature indices (${arch.featureSet}); pad with ${featureSet(arch.featureSet).dimensions}, the zero row`;
  const model: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET_VERSION }],
    producerName: PRODUCER_NAME,
    docString: card.description ?? "",
    graph: {
      name: GRAPH_NAME,
      node: nodeSpecs(arch).map(nodeProto),
      initializer: initializerSpecs(arch).map((spec) => tensorProto(spec, weights, tensors)),
      input: [
        valueInfo(US_INPUT, INT64_TYPE, [BATCH_DIM, ACTIVE_DIM], `side to move: ${inputDoc}`),
        valueInfo(THEM_INPUT, INT64_TYPE, [BATCH_DIM, ACTIVE_DIM], `other side: ${inputDoc}`),
      ],
      output: [valueInfo(SCORE_OUTPUT, FLOAT_TYPE, [BATCH_DIM, 1], `centipawns for the side to move; win probability sigmoid(score / ${arch.outputScale})`)],
    },
    metadataProps: cardToMetadata(fullCard),
  };
  return onnx.ModelProto.encode(model).finish();
}

/** Writes a model file; see encodeModel. */
export function writeModelFile(path: string, weights: NetworkWeights, card: Omit<ModelCard, "architecture" | "contentHash">): void {
  writeFileSync(path, encodeModel(weights, card));
}

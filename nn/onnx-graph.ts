// Layout of the ONNX graph of a model: tensor names, initializer shapes and the node list. The
// writer builds exactly this graph and the reader rejects any other, so that ONNX Runtime and the
// native evaluator compute the same function.
//
//   us_features, them_features   int64 [batch, max_active]: feature indices of the side to move
//                                and of the other side, padded with `dimensions` (the padding row
//                                of ft.weight, all zeros)
//   Gather(ft.weight) -> ReduceSum(axis 1) -> Add(ft.bias)       per perspective: accumulator
//   Concat([us, them], axis 1) -> Clip(0, 1)                     h0
//   Gemm(fcK.weight, fcK.bias, transB) -> Clip(0, 1)             per hidden layer
//   Gemm(out.weight, out.bias, transB) -> Mul(score_scale)      score, float [batch, 1]

import { type Architecture, denseShapes } from "./architecture.js";
import { featureSet } from "./features.js";

export const OPSET_VERSION = 17;
export const IR_VERSION = 8;
export const GRAPH_NAME = "shogi_nnue";
export const US_INPUT = "us_features";
export const THEM_INPUT = "them_features";
export const SCORE_OUTPUT = "score";
export const BATCH_DIM = "batch";
export const ACTIVE_DIM = "max_active";

export const FT_WEIGHT = "ft.weight";
export const FT_BIAS = "ft.bias";
const REDUCE_AXES = "const.reduce_axes";
const CLIP_MIN = "const.zero";
const CLIP_MAX = "const.one";
const SCORE_SCALE_NAME = "const.score_scale";

/** ONNX TensorProto element types used here. */
export const FLOAT_TYPE = 1;
export const INT64_TYPE = 7;
/** ONNX AttributeProto type of a single integer. */
export const INT_ATTRIBUTE = 2;

export interface NodeSpec {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes. */
  attributes: Record<string, number>;
}

/** An initializer: float tensors carry weights (index into weightTensors order) or a constant. */
export interface InitializerSpec {
  name: string;
  dims: number[];
  dataType: number;
  /** Position in weightTensors() order, or -1 for a constant or the padded transformer. */
  weightIndex: number;
  /** Values of a constant initializer. */
  constant?: number[];
}

/** Names of a dense layer's tensors: fc0, fc1, ... for hidden layers, "out" for the last. */
export function layerPrefix(index: number, layerCount: number): string {
  return index === layerCount - 1 ? "out" : `fc${index}`;
}

/** Initializers of the graph in the order the writer stores them. */
export function initializerSpecs(arch: Architecture): InitializerSpec[] {
  const rows = featureSet(arch.featureSet).dimensions + 1;
  const specs: InitializerSpec[] = [
    { name: FT_WEIGHT, dims: [rows, arch.l1], dataType: FLOAT_TYPE, weightIndex: -1 },
    { name: FT_BIAS, dims: [arch.l1], dataType: FLOAT_TYPE, weightIndex: 1 },
  ];
  const shapes = denseShapes(arch);
  shapes.forEach(({ inputs, outputs }, i) => {
    const prefix = layerPrefix(i, shapes.length);
    specs.push({ name: `${prefix}.weight`, dims: [outputs, inputs], dataType: FLOAT_TYPE, weightIndex: 2 + 2 * i });
    specs.push({ name: `${prefix}.bias`, dims: [outputs], dataType: FLOAT_TYPE, weightIndex: 3 + 2 * i });
  });
  specs.push({ name: REDUCE_AXES, dims: [1], dataType: INT64_TYPE, weightIndex: -1, constant: [1] });
  specs.push({ name: CLIP_MIN, dims: [], dataType: FLOAT_TYPE, weightIndex: -1, constant: [0] });
  specs.push({ name: CLIP_MAX, dims: [], dataType: FLOAT_TYPE, weightIndex: -1, constant: [1] });
  specs.push({ name: SCORE_SCALE_NAME, dims: [], dataType: FLOAT_TYPE, weightIndex: -1, constant: [arch.outputScale] });
  return specs;
}

function node(name: string, opType: string, inputs: string[], outputs: string[], attributes: Record<string, number> = {}): NodeSpec {
  return { name, opType, inputs, outputs, attributes };
}

function accumulatorNodes(side: "us" | "them", input: string): NodeSpec[] {
  return [
    node(`${side}_gather`, "Gather", [FT_WEIGHT, input], [`${side}_rows`], { axis: 0 }),
    node(`${side}_sum`, "ReduceSum", [`${side}_rows`, REDUCE_AXES], [`${side}_sum`], { keepdims: 0 }),
    node(`${side}_bias`, "Add", [`${side}_sum`, FT_BIAS], [`${side}_accumulator`]),
  ];
}

/** Nodes of the graph in topological order. */
export function nodeSpecs(arch: Architecture): NodeSpec[] {
  const nodes = [...accumulatorNodes("us", US_INPUT), ...accumulatorNodes("them", THEM_INPUT)];
  nodes.push(node("concat", "Concat", ["us_accumulator", "them_accumulator"], ["accumulator"], { axis: 1 }));
  nodes.push(node("ft_clip", "Clip", ["accumulator", CLIP_MIN, CLIP_MAX], ["h0"]));
  const shapes = denseShapes(arch);
  let input = "h0";
  shapes.forEach((_, i) => {
    const prefix = layerPrefix(i, shapes.length);
    const isOutput = i === shapes.length - 1;
    const linear = isOutput ? "logit" : `${prefix}_linear`;
    nodes.push(node(`${prefix}_gemm`, "Gemm", [input, `${prefix}.weight`, `${prefix}.bias`], [linear], { transB: 1 }));
    if (!isOutput) {
      nodes.push(node(`${prefix}_clip`, "Clip", [linear, CLIP_MIN, CLIP_MAX], [`h${i + 1}`]));
      input = `h${i + 1}`;
    }
  });
  nodes.push(node("score_scale", "Mul", ["logit", SCORE_SCALE_NAME], [SCORE_OUTPUT]));
  return nodes;
}

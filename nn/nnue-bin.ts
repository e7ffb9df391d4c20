// YaneuraOu NNUE evaluation files (nn.bin) of architecture halfkp_256x2-32-32: import into float
// weights (dequantised) and export from float weights (quantised).
//
// Layout, all little-endian:
//   header       u32 version, u32 file hash, u32 length, then the architecture string
//   transformer  u32 hash, int16 bias[256], int16 weight[125388][256] (feature-major)
//   network      u32 hash, int32 bias[32], int8 weight[32][512], int32 bias[32],
//                int8 weight[32][32], int32 bias[1], int8 weight[1][32]
// Dense weights are stored [output][input].
//
// Quantisation follows YaneuraOu's learner, rounding half up:
//   transformer weights and biases   x127 into int16
//   hidden weights                   x64 into int8, clamped to +-127
//   hidden biases                    x8128 (64 * 127) into int32
//   output weights                   x9600/127 into int8, clamped to +-127
//   output bias                      x9600 into int32
// 9600 = 600 * 16: a score scale of 600 and YaneuraOu's default FV_SCALE of 16.

import { HALFKP_256X2_32_32, architectureName, sameArchitecture } from "./architecture.js";
import { MAX_ACTIVE, featureSet } from "./features.js";
import { type DenseLayer, type NetworkWeights, createWeights } from "./weights.js";

export const NNUE_VERSION = 0x7af32f16;
export const NNUE_ARCHITECTURE_STRING =
  "Features=HalfKP(Friend)[125388->256x2],Network=AffineTransform[1<-32](ClippedReLU[32](AffineTransform[32<-32](ClippedReLU[32](AffineTransform[32<-512](InputSlice[512(0:512)])))))";
/** Prefix that both the canonical string and YaneuraOu's newer AffineTransformSparseInput name share. */
const ARCHITECTURE_PREFIX = "Features=HalfKP(Friend)[125388->256x2]";

const FT_SCALE = 127;
const HIDDEN_WEIGHT_SCALE = 64;
const HIDDEN_BIAS_SCALE = 64 * 127;
const FV_SCALE = 16;
const OUTPUT_BIAS_SCALE = 600 * FV_SCALE;
const OUTPUT_WEIGHT_SCALE = OUTPUT_BIAS_SCALE / 127;
const INT8_LIMIT = 127;
const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** Hash words of the layer chain, as YaneuraOu computes them (32-bit unsigned arithmetic). */
const HALFKP_FRIEND_HASH = (0x5d69d5b9 ^ 1) >>> 0;
const INPUT_SLICE_BASE = 0xec42e90d;
const AFFINE_BASE = 0xcc03dae4;
const CLIPPED_RELU_BASE = 0x538d24c7;

function affineHash(outputs: number, previous: number): number {
  return ((AFFINE_BASE + outputs) ^ (previous >>> 1) ^ (previous << 31)) >>> 0;
}

function clippedReluHash(previous: number): number {
  return (CLIPPED_RELU_BASE + previous) >>> 0;
}

/** Hash of the feature transformer of halfkp_{l1}x2. */
export function transformerHash(l1: number): number {
  return (HALFKP_FRIEND_HASH ^ (l1 * 2)) >>> 0;
}

/** Hash of the dense network InputSlice[2*l1] -> hidden... -> 1, with a ClippedReLU after each hidden layer. */
export function networkHash(l1: number, hidden: readonly number[]): number {
  let hash = (INPUT_SLICE_BASE ^ (2 * l1)) >>> 0;
  for (const width of hidden) hash = clippedReluHash(affineHash(width, hash));
  return affineHash(1, hash);
}

const L1 = HALFKP_256X2_32_32.l1;
const FT_HASH = transformerHash(L1);
const NETWORK_HASH = networkHash(L1, HALFKP_256X2_32_32.hidden);
export const NNUE_FILE_HASH = (FT_HASH ^ NETWORK_HASH) >>> 0;
const HEADER_WORDS = 3;

/** Byte size of a halfkp_256x2-32-32 file whose architecture string has the given length. */
function fileSize(architectureLength: number): number {
  const dims = featureSet("halfkp").dimensions;
  const transformer = 4 + 2 * L1 + 2 * dims * L1;
  const network = 4 + (4 * 32 + 32 * 512) + (4 * 32 + 32 * 32) + (4 + 32);
  return 4 * HEADER_WORDS + architectureLength + transformer + network;
}

/** Size of a canonical nn.bin: 64,217,066 bytes. */
export const NNUE_FILE_SIZE = fileSize(NNUE_ARCHITECTURE_STRING.length);

export interface NnueExport {
  bytes: Uint8Array;
  /** Values clamped by quantisation and accumulator neurons that could overflow int16. */
  warnings: string[];
}

/** Sequential little-endian writer and reader over one buffer. */
class Cursor {
  offset = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u32(value?: number): number {
    if (value !== undefined) this.view.setUint32(this.offset, value, true);
    const read = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return read;
  }
}

function quantise(value: number, scale: number, limit: number): { q: number; clamped: boolean } {
  const q = Math.round(value * scale);
  if (q > limit) return { q: limit, clamped: true };
  if (q < -limit) return { q: -limit, clamped: true };
  return { q, clamped: false };
}

/** Quantises halfkp_256x2-32-32 float weights into nn.bin bytes; throws on another architecture. */
export function exportNnueBin(weights: NetworkWeights): NnueExport {
  if (!sameArchitecture(weights.architecture, HALFKP_256X2_32_32)) {
    throw new Error(`nn.bin export supports ${architectureName(HALFKP_256X2_32_32)} with output scale 600 only, not ${architectureName(weights.architecture)} (scale ${weights.architecture.outputScale})`);
  }
  const bytes = new Uint8Array(NNUE_FILE_SIZE);
  const cursor = new Cursor(bytes);
  const warnings: string[] = [];
  cursor.u32(NNUE_VERSION);
  cursor.u32(NNUE_FILE_HASH);
  cursor.u32(NNUE_ARCHITECTURE_STRING.length);
  bytes.set(new TextEncoder().encode(NNUE_ARCHITECTURE_STRING), cursor.offset);
  cursor.offset += NNUE_ARCHITECTURE_STRING.length;

  cursor.u32(FT_HASH);
  writeTransformer(weights, cursor, warnings);

  cursor.u32(NETWORK_HASH);
  weights.layers.forEach((layer, i) => writeDenseLayer(layer, i === weights.layers.length - 1, cursor, `layer ${i + 1}`, warnings));
  return { bytes, warnings };
}

function writeDenseLayer(layer: DenseLayer, isOutput: boolean, cursor: Cursor, layerName: string, warnings: string[]): void {
  const biasScale = isOutput ? OUTPUT_BIAS_SCALE : HIDDEN_BIAS_SCALE;
  const weightScale = isOutput ? OUTPUT_WEIGHT_SCALE : HIDDEN_WEIGHT_SCALE;
  for (const b of layer.bias) {
    cursor.view.setInt32(cursor.offset, Math.round(b * biasScale), true);
    cursor.offset += 4;
  }
  let clamped = 0;
  for (const w of layer.weights) {
    const { q, clamped: wasClamped } = quantise(w, weightScale, INT8_LIMIT);
    if (wasClamped) clamped++;
    cursor.view.setInt8(cursor.offset++, q);
  }
  if (clamped > 0) warnings.push(`${layerName}: ${clamped} weights clamped to +-${INT8_LIMIT / weightScale} by int8 quantisation`);
}

function writeTransformer(weights: NetworkWeights, cursor: Cursor, warnings: string[]): void {
  const write16 = (values: Float32Array, tensorName: string): void => {
    for (let i = 0; i < values.length; i++) {
      const q = Math.round(values[i] * FT_SCALE);
      if (q < INT16_MIN || q > INT16_MAX) throw new Error(`${tensorName} ${i} is ${values[i]}, which does not fit int16 after x${FT_SCALE} quantisation`);
      cursor.view.setInt16(cursor.offset, q, true);
      cursor.offset += 2;
    }
  };
  write16(weights.ftBias, "transformer bias");
  write16(weights.ftWeights, "transformer weight (feature-major index)");
  const maxWeight = new Float64Array(L1);
  const ft = weights.ftWeights;
  for (let i = 0; i < ft.length; i++) maxWeight[i % L1] = Math.max(maxWeight[i % L1], Math.abs(ft[i]));
  let risky = 0;
  for (let j = 0; j < L1; j++) {
    if (Math.abs(weights.ftBias[j]) + MAX_ACTIVE * maxWeight[j] > INT16_MAX / FT_SCALE) risky++;
  }
  if (risky > 0) warnings.push(`transformer: ${risky} neurons could overflow the int16 accumulator (|bias| + 38 x max |weight| above ${(INT16_MAX / FT_SCALE).toFixed(1)})`);
}

/** Dequantises nn.bin bytes of halfkp_256x2-32-32; throws Error naming `file` and the problem. */
export function importNnueBin(bytes: Uint8Array, file = "<nn.bin bytes>"): NetworkWeights {
  const fail = (detail: string): never => {
    throw new Error(`${file}: ${detail}`);
  };
  if (bytes.length < 4 * HEADER_WORDS) fail(`${bytes.length} bytes is too short for an nn.bin header`);
  const cursor = new Cursor(bytes);
  const version = cursor.u32();
  if (version !== NNUE_VERSION) fail(`version 0x${hex(version)} is not YaneuraOu NNUE's 0x${hex(NNUE_VERSION)}`);
  const fileHash = cursor.u32();
  if (fileHash !== NNUE_FILE_HASH) fail(`file hash 0x${hex(fileHash)} is not halfkp_256x2-32-32's 0x${hex(NNUE_FILE_HASH)}`);
  const archLength = cursor.u32();
  if (bytes.length !== fileSize(archLength)) fail(`size ${bytes.length} bytes does not match halfkp_256x2-32-32 (expected ${fileSize(archLength)})`);
  const archString = new TextDecoder().decode(bytes.subarray(cursor.offset, cursor.offset + archLength));
  if (!archString.startsWith(ARCHITECTURE_PREFIX)) fail(`architecture "${archString}" is not ${ARCHITECTURE_PREFIX}...`);
  cursor.offset += archLength;
  if (cursor.u32() !== FT_HASH) fail(`feature transformer hash is not 0x${hex(FT_HASH)}`);
  const weights = createWeights(HALFKP_256X2_32_32);
  readInt16(cursor, weights.ftBias, FT_SCALE);
  readInt16(cursor, weights.ftWeights, FT_SCALE);
  if (cursor.u32() !== NETWORK_HASH) fail(`network hash is not 0x${hex(NETWORK_HASH)}`);
  weights.layers.forEach((layer, i) => {
    const isOutput = i === weights.layers.length - 1;
    for (let o = 0; o < layer.bias.length; o++) {
      layer.bias[o] = cursor.view.getInt32(cursor.offset, true) / (isOutput ? OUTPUT_BIAS_SCALE : HIDDEN_BIAS_SCALE);
      cursor.offset += 4;
    }
    const scale = isOutput ? OUTPUT_WEIGHT_SCALE : HIDDEN_WEIGHT_SCALE;
    for (let k = 0; k < layer.weights.length; k++) layer.weights[k] = cursor.view.getInt8(cursor.offset++) / scale;
  });
  return weights;
}

function readInt16(cursor: Cursor, out: Float32Array, scale: number): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = cursor.view.getInt16(cursor.offset, true) / scale;
    cursor.offset += 2;
  }
}

function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, "0");
}

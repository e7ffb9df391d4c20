// Feature factorisation as a trainer extension: virtual features that several real features share.
// What is true of a piece on any square (its value, above all) is then learnt from every sample
// that contains the piece, not only from the samples with the piece on one square.
//
//   kind    one row per piece kind: board pieces by type and owner (18 rows), hand pieces by type
//           and holder (14 rows). Feature f adds the row of its kind to the accumulator.
//   piece   for HalfKP only: one row per BonaPiece (the "P" part of HalfKP), shared by the 81
//           king squares.
//
// A real feature's effective weight row is its own row plus its factors' rows. The factor rows
// start at zero, so a run starts from the network's initial weights, and merge() adds them into
// the transformer rows for export: the ONNX file is a plain network of the same architecture.
// BonaPiece 0, which stands for an absent piece, has no factors.
//
// The trainer imports this module by URL in every worker thread, so it takes only JSON options.

import { fileURLToPath } from "node:url";
import type { Architecture } from "../../nn/architecture.js";
import { BONA_PIECE_NB } from "../../nn/features.js";
import type { NetworkWeights } from "../../nn/weights.js";
import type { ExtensionParameter, ExtensionSpec, ModelExtension } from "./extensions.js";
import type { GradientSink, NetworkHooks } from "./network.js";

/** First BonaPiece of the board pieces; hand pieces lie below it. */
const BOARD_FIRST = 90;
const SQUARES = 81;
/** Hand ranges by first BonaPiece, own and enemy hand of each type (see nn/features.ts). */
const HAND_STARTS = [1, 20, 39, 44, 49, 54, 59, 64, 69, 74, 79, 82, 85, 88];
const BOARD_KINDS = (BONA_PIECE_NB - BOARD_FIRST) / SQUARES;
/** Rows of the kind factor: hand kinds first, then board kinds. */
export const KIND_ROWS = HAND_STARTS.length + BOARD_KINDS;

/** Spec that adds this extension to a training run. */
export function factorizerSpec(): ExtensionSpec {
  return { module: fileURLToPath(import.meta.url), options: {} };
}

/** Kind row of a BonaPiece, or -1 for BonaPiece 0. */
export function kindRow(bonaPiece: number): number {
  if (bonaPiece <= 0) return -1;
  if (bonaPiece >= BOARD_FIRST) return HAND_STARTS.length + Math.floor((bonaPiece - BOARD_FIRST) / SQUARES);
  let row = 0;
  while (row + 1 < HAND_STARTS.length && HAND_STARTS[row + 1] <= bonaPiece) row++;
  return row;
}

const KIND_OF = Int32Array.from({ length: BONA_PIECE_NB }, (_, bp) => kindRow(bp));

/** Creates the extension; the options are ignored (the layout follows the architecture). */
export function createExtension(): ModelExtension {
  return {
    parameters: (arch) => factorShapes(arch),
    hooks: (values, first, arch) => factorHooks(values, first, arch),
    merge(weights, values) {
      mergeFactors(weights, values);
    },
  };
}

function hasPieceFactor(arch: Architecture): boolean {
  return arch.featureSet === "halfkp";
}

function factorShapes(arch: Architecture): ExtensionParameter[] {
  const shapes: ExtensionParameter[] = [{ name: "factor.kind", rows: KIND_ROWS, cols: arch.l1 }];
  if (hasPieceFactor(arch)) shapes.push({ name: "factor.piece", rows: BONA_PIECE_NB, cols: arch.l1 });
  return shapes;
}

/** Adds the factor rows of a real feature into out[at..at + l1): its kind row, and its piece row for HalfKP. */
function addFactors(values: readonly Float32Array[], feature: number, withPiece: boolean, l1: number, out: Float32Array, at: number): void {
  const bonaPiece = feature % BONA_PIECE_NB;
  if (bonaPiece === 0) return;
  const kind = values[0];
  const kindBase = KIND_OF[bonaPiece] * l1;
  for (let j = 0; j < l1; j++) out[at + j] += kind[kindBase + j];
  if (!withPiece) return;
  const piece = values[1];
  const pieceBase = bonaPiece * l1;
  for (let j = 0; j < l1; j++) out[at + j] += piece[pieceBase + j];
}

/** Adds grad[at..at + l1) into the factor gradient rows of a real feature. */
function addFactorGrads(
  grads: ReadonlyArray<Float32Array | null>, first: number, feature: number, withPiece: boolean, l1: number, grad: Float32Array, at: number,
): void {
  const bonaPiece = feature % BONA_PIECE_NB;
  if (bonaPiece === 0) return;
  const kind = grads[first];
  if (kind) {
    const kindBase = KIND_OF[bonaPiece] * l1;
    for (let j = 0; j < l1; j++) kind[kindBase + j] += grad[at + j];
  }
  const piece = withPiece ? grads[first + 1] : null;
  if (!piece) return;
  const pieceBase = bonaPiece * l1;
  for (let j = 0; j < l1; j++) piece[pieceBase + j] += grad[at + j];
}

function factorHooks(values: readonly Float32Array[], first: number, arch: Architecture): NetworkHooks {
  const l1 = arch.l1;
  const withPiece = hasPieceFactor(arch);
  return {
    accumulator(features, count, accumulator) {
      for (let p = 0; p < 2; p++) {
        for (let k = 0; k < count; k++) addFactors(values, features[p * count + k], withPiece, l1, accumulator, p * l1);
      }
    },
    accumulatorBackward(features, count, grad, sink: GradientSink) {
      const grads = sink.grads;
      for (let p = 0; p < 2; p++) {
        for (let k = 0; k < count; k++) addFactorGrads(grads, first, features[p * count + k], withPiece, l1, grad, p * l1);
      }
    },
  };
}

/** Adds each feature's factor rows into its transformer row. */
function mergeFactors(weights: NetworkWeights, values: readonly Float32Array[]): void {
  const l1 = weights.architecture.l1;
  const withPiece = hasPieceFactor(weights.architecture);
  const rows = weights.ftWeights.length / l1;
  for (let feature = 0; feature < rows; feature++) addFactors(values, feature, withPiece, l1, weights.ftWeights, feature * l1);
}

// The material-only model: the side to move's material minus the opponent's, in centipawns. It was
// the placeholder base model, and its weights are the start of a distillation with --init material.
//
// Why the "p" feature set: a HalfKP transformer of width 256 has 125,388 x 256 float32 weights
// (128 MB), too big for git, and material does not depend on the king square anyway. The "p"
// set with the same 256x2-32-32 widths is about 1.6 MB and runs through the same graph and
// evaluators.
//
// How the weights carry the material sum: transformer neuron 0 of each perspective is
// 0.5 + (own - enemy material) / MATERIAL_SPAN. Hidden neuron 0 of both layers passes
// 0.5 + (us - them) / MATERIAL_SPAN through, and the output maps it back to centipawns. Every
// other weight is zero. The result is exact while the material difference stays within
// +-MATERIAL_SPAN / 2, which holds for every position of one shogi set (at most 23,040).

import { makeArchitecture } from "./architecture.js";
import { BONA_PIECE_NB, handBonaPiece, boardBonaPiece } from "./features.js";
import type { ModelCard } from "./model-card.js";
import { type NetworkWeights, createWeights } from "./weights.js";
import {
  BISHOP, BLACK, DRAGON, GOLD, HORSE, KNIGHT, LANCE, PAWN, PIECE_COUNT, PRO_KNIGHT, PRO_LANCE, PRO_PAWN,
  PRO_SILVER, ROOK, SILVER, SQUARE_NB, WHITE, makePiece,
} from "../shogi/types.js";

/** Piece values in centipawns: Apery's (WCSC26), which YaneuraOu also uses. Hand pieces count unpromoted. */
export const MATERIAL_VALUES: Readonly<Record<number, number>> = {
  [PAWN]: 90,
  [LANCE]: 315,
  [KNIGHT]: 405,
  [SILVER]: 495,
  [GOLD]: 540,
  [BISHOP]: 855,
  [ROOK]: 990,
  [PRO_PAWN]: 540,
  [PRO_LANCE]: 540,
  [PRO_KNIGHT]: 540,
  [PRO_SILVER]: 540,
  [HORSE]: 945,
  [DRAGON]: 1395,
};

/** Centipawns that span the [0, 1] range of one clipped ReLU neuron. */
export const MATERIAL_SPAN = 50_000;
const MIDPOINT = 0.5;
const HAND_TYPES = [PAWN, LANCE, KNIGHT, SILVER, GOLD, BISHOP, ROOK];

export const MATERIAL_ARCHITECTURE = makeArchitecture({ featureSet: "p" });

/** Returns the material value in centipawns of each BonaPiece from its perspective: own pieces positive, enemy pieces negative, 0 for BonaPiece 0. */
export function bonaPieceValues(): Float64Array {
  const values = new Float64Array(BONA_PIECE_NB);
  for (const [type, value] of Object.entries(MATERIAL_VALUES)) {
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      values[boardBonaPiece(BLACK, makePiece(BLACK, Number(type)), sq)] = value;
      values[boardBonaPiece(BLACK, makePiece(WHITE, Number(type)), sq)] = -value;
    }
  }
  for (const type of HAND_TYPES) {
    for (let copy = 1; copy <= PIECE_COUNT[type]; copy++) {
      values[handBonaPiece(BLACK, BLACK, type, copy)] = MATERIAL_VALUES[type];
      values[handBonaPiece(BLACK, WHITE, type, copy)] = -MATERIAL_VALUES[type];
    }
  }
  return values;
}

/**
 * Writes the material path into weights of any architecture: transformer neuron 0, hidden neuron 0
 * of each layer and the output, with `scale` applied to the output (1 gives centipawns). Every
 * weight of that path is overwritten, and the output reads nothing else. Other weights are kept.
 */
export function writeMaterialPath(weights: NetworkWeights, scale = 1): void {
  const arch = weights.architecture;
  const l1 = arch.l1;
  const values = bonaPieceValues();
  const rows = weights.ftWeights.length / l1;
  for (let row = 0; row < rows; row++) weights.ftWeights[row * l1] = values[row % BONA_PIECE_NB] / MATERIAL_SPAN;
  weights.ftBias[0] = MIDPOINT;
  const hidden = weights.layers.slice(0, -1);
  hidden.forEach((layer, k) => {
    layer.weights.fill(0, 0, layer.inputs);
    if (k === 0) {
      layer.weights[0] = MIDPOINT;
      layer.weights[l1] = -MIDPOINT;
      layer.bias[0] = MIDPOINT;
    } else {
      layer.weights[0] = 1;
      layer.bias[0] = 0;
    }
  });
  const output = weights.layers[weights.layers.length - 1];
  const logitPerUnit = (scale * MATERIAL_SPAN) / arch.outputScale;
  output.weights.fill(0);
  output.weights[0] = logitPerUnit;
  output.bias[0] = -MIDPOINT * logitPerUnit;
}

/** Weights of the material-only evaluator (see the top of this file). */
export function materialWeights(): NetworkWeights {
  const weights = createWeights(MATERIAL_ARCHITECTURE);
  writeMaterialPath(weights);
  return weights;
}
/** Card of the placeholder model. */
export const MATERIAL_CARD: Omit<ModelCard, "architecture" | "contentHash"> = {
  description: "Material-only placeholder: side-to-move material minus opponent material, in centipawns",
  provenance: {
    source: "material placeholder",
    notes:
      "Hand-set weights, no training. Uses the p feature set (1548 BonaPiece features, no king factor) with halfkp's 256x2-32-32 widths, " +
      "because a HalfKP transformer of width 256 (125,388 x 256 float32, 128 MB) is too big for git. Piece values: Apery WCSC26 " +
      "(pawn 90, lance 315, knight 405, silver 495, gold and promoted minors 540, bishop 855, rook 990, horse 945, dragon 1395).",
  },
  metrics: {},
};

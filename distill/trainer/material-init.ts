// A start for distillation that already plays: the material evaluation written into a network
// whose other weights are random (see initialWeights) and silent, because the output reads only
// the material path at first. Training then learns the teacher's scores beyond material. Small
// data sets learn a weaker evaluation from a random start than material alone gives.

import { MaterialEvaluator } from "../../engine/evaluator.js";
import type { Architecture } from "../../nn/architecture.js";
import { openRecordReader } from "../../nn/data/reader.js";
import { writeMaterialPath } from "../../nn/material.js";
import type { NetworkWeights } from "../../nn/weights.js";
import { Position } from "../../shogi/position.js";
import { initialWeights } from "./init.js";

/** Records read from the training data to fit the material scale. */
export const SCALE_FIT_RECORDS = 20_000;
/** Candidate scales of material centipawns to the teacher's units, from 0.05 to 2 in steps of 0.05. */
const SCALE_STEP = 0.05;
const SCALE_STEPS = 40;
const PROBABILITY_FLOOR = 1e-7;

/** Returns seeded random weights with the material path written in, scaled by `scale`. */
export function materialStart(arch: Architecture, seed: number, scale: number): NetworkWeights {
  const weights = initialWeights(arch, seed);
  writeMaterialPath(weights, scale);
  return weights;
}

/**
 * Returns the scale of material centipawns that gives the lowest training loss on the first
 * records of the data files: the material evaluation expressed in the teacher's units.
 */
export async function fitMaterialScale(files: readonly string[], lambda: number, outputScale: number, limit = SCALE_FIT_RECORDS): Promise<number> {
  const material = new MaterialEvaluator();
  const position = new Position();
  const losses = new Float64Array(SCALE_STEPS);
  let count = 0;
  for (const file of files) {
    for await (const record of await openRecordReader(file)) {
      if (count >= limit) break;
      position.setSetup(record.setup);
      const balance = material.evaluate(position);
      const target = lambda * sigmoid(record.score / outputScale) + (1 - lambda) * (record.result + 1) / 2;
      for (let step = 0; step < SCALE_STEPS; step++) {
        const p = clampProbability(sigmoid(((step + 1) * SCALE_STEP * balance) / outputScale));
        losses[step] -= target * Math.log(p) + (1 - target) * Math.log(1 - p);
      }
      count++;
    }
  }
  if (count === 0) throw new Error(`cannot fit the material scale: no records in ${files.join(", ")}`);
  const best = losses.indexOf(Math.min(...losses));
  return Math.round((best + 1) * SCALE_STEP * 100) / 100;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clampProbability(p: number): number {
  return Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
}

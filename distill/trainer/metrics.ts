// Validation statistics, summed on the main thread in sample order so that they do not depend on
// the number of workers, and the per-epoch metrics record.

import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BatchOutputs } from "./shared.js";

/**
 * Scores are clamped to +-3000 centipawns before the correlation, so that mate scores (about
 * +-32000 in PackedSfenValue files) do not outweigh every other position. 3000 is YaneuraOu's
 * default eval_limit for generated games.
 */
export const CORRELATION_CLAMP = 3000;

export interface ValidationMetrics {
  samples: number;
  /** Mean cross entropy, nats per sample. */
  loss: number;
  /** Mean target entropy: the loss of a perfect predictor, so loss - lossFloor is the KL divergence. */
  lossFloor: number;
  /** Share of positions with a record move where the student's 1-ply best move equals it; null when not measured. */
  moveAgreement: number | null;
  agreementSamples: number;
  /** Pearson correlation of clamped student and teacher scores; null with fewer than two samples or no spread. */
  scoreCorrelation: number | null;
}

export class ValidationAccumulator {
  private samples = 0;
  private loss = 0;
  private entropy = 0;
  private agreed = 0;
  private agreementSamples = 0;
  private sumS = 0;
  private sumT = 0;
  private sumSS = 0;
  private sumTT = 0;
  private sumST = 0;

  add(outputs: BatchOutputs, count: number): void {
    for (let i = 0; i < count; i++) {
      this.loss += outputs.loss[i];
      this.entropy += outputs.entropy[i];
      if (outputs.agree[i] >= 0) {
        this.agreementSamples++;
        this.agreed += outputs.agree[i];
      }
      const s = clamp(outputs.student[i]);
      const t = clamp(outputs.teacher[i]);
      this.sumS += s;
      this.sumT += t;
      this.sumSS += s * s;
      this.sumTT += t * t;
      this.sumST += s * t;
    }
    this.samples += count;
  }

  result(): ValidationMetrics {
    const n = this.samples;
    return {
      samples: n,
      loss: n > 0 ? this.loss / n : Number.NaN,
      lossFloor: n > 0 ? this.entropy / n : Number.NaN,
      moveAgreement: this.agreementSamples > 0 ? this.agreed / this.agreementSamples : null,
      agreementSamples: this.agreementSamples,
      scoreCorrelation: this.correlation(),
    };
  }

  private correlation(): number | null {
    const n = this.samples;
    if (n < 2) return null;
    const covariance = this.sumST - (this.sumS * this.sumT) / n;
    const varianceS = this.sumSS - (this.sumS * this.sumS) / n;
    const varianceT = this.sumTT - (this.sumT * this.sumT) / n;
    if (varianceS <= 0 || varianceT <= 0) return null;
    return covariance / Math.sqrt(varianceS * varianceT);
  }
}

function clamp(score: number): number {
  return Math.max(-CORRELATION_CLAMP, Math.min(CORRELATION_CLAMP, score));
}

/** One line of the metrics file. */
export interface EpochMetrics {
  epoch: number;
  /** Optimiser steps so far, over all epochs. */
  steps: number;
  /** Training samples in this epoch. */
  samples: number;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
  /** Mean cross entropy over the epoch's training samples, as computed during the epoch (nats). */
  trainLoss: number;
  valLoss: number;
  valLossFloor: number;
  moveAgreement: number | null;
  scoreCorrelation: number | null;
  /** Training samples per second of the epoch's training phase (validation excluded). */
  samplesPerSecond: number;
  /** Seconds of the epoch's gradient phases (forward and backward passes) and optimiser updates. */
  gradientSeconds: number;
  updateSeconds: number;
  /** Seconds since the run started, summed over resumed sessions. */
  elapsedSeconds: number;
}

/** Rewrites the metrics file with the given lines (tmp and rename), as a resumed run does first. */
export function rewriteMetricsFile(file: string, history: readonly EpochMetrics[]): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, history.map((line) => `${JSON.stringify(line)}\n`).join(""));
  renameSync(temporary, file);
}

export function appendMetricsLine(file: string, line: EpochMetrics): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

// Errors a training run raises besides TrainConfigError and TeacherDataError.

import { TeacherDataError, type TeacherDataErrorCode } from "../../nn/data/errors.js";
import type { DivergenceProblem, TaskOutcome } from "./core.js";
import type { DataFile } from "./dataset.js";

/** A loss, activation or parameter became NaN or infinite; training stops at that step. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly epoch: number,
    /** The layer or parameter where the value appeared, such as "fc0 (output before the clip)" or "ft.weight". */
    readonly layer: string,
    detail: string,
  ) {
    super(`training diverged at step ${step} (epoch ${epoch}) in ${layer}: ${detail}. Lower the learning rate (--lr) or check the data and initial weights.`);
    this.name = "TrainingDivergedError";
  }
}

/** Throws the first problem that the tasks of one phase reported. */
export function throwProblems(outcomes: readonly TaskOutcome[], files: readonly DataFile[], epoch: number): void {
  for (const { problem } of outcomes) {
    if (!problem) continue;
    if (problem.kind === "diverged") throw divergence(problem, epoch);
    throw new TeacherDataError(problem.code as TeacherDataErrorCode, files[problem.file].path, problem.record, problem.detail);
  }
}

function divergence(problem: DivergenceProblem, epoch: number): TrainingDivergedError {
  return new TrainingDivergedError(problem.step, epoch, problem.where, problem.detail);
}

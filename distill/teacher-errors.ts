// Errors of the teacher driver and of the jobs that use it (gensfen, label).

export type TeacherErrorCode =
  /** A built-in teacher is not installed, or a teacher path is not an executable file. */
  | "teacher_not_found"
  /** The teacher cannot search within the requested depth or node budget. */
  | "unsupported_budget"
  /** The engine did not finish its handshake after every allowed attempt. */
  | "start_failed"
  /** The engine crashed, stalled or sent illegal moves on every attempt at one search. */
  | "too_many_failures"
  /** Random moves from the teacher's best lines were requested, but it declares no MultiPV option. */
  | "no_multipv"
  /** The teacher was stopped by its owner (an abort or another worker's error) during a request. */
  | "stopped"
  /** A job option is outside its range or contradicts another. */
  | "invalid_option"
  /** An input file or folder cannot be read as positions. */
  | "invalid_input"
  /** The output file exists and belongs to no resumable run with these options. */
  | "output_exists"
  /** The progress file of a resumable run does not match the output or the options. */
  | "progress_mismatch";

/** A teacher or job problem with a stable code; the message names the value at fault and the next step. */
export class TeacherError extends Error {
  constructor(
    readonly code: TeacherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TeacherError";
  }
}

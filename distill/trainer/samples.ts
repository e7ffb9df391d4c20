// Decoding of record slots into positions and feature indices, done by each worker for its own
// samples so that decoding runs in parallel with the rest of the step.

import { RecordCodecError } from "../../nn/data/errors.js";
import { decodeHcpe } from "../../nn/data/hcpe.js";
import { decodePsv } from "../../nn/data/psv.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import type { FeatureSet } from "../../nn/features.js";
import { Position } from "../../shogi/position.js";
import { SfenError } from "../../shogi/sfen.js";
import type { Color } from "../../shogi/types.js";
import { SLOT_BYTES, SLOT_PSV, type SlotArrays } from "./dataset.js";

/** A record that cannot be used, located by file index and record index. */
export interface DataProblem {
  kind: "data";
  code: string;
  file: number;
  record: number;
  detail: string;
}

/** Decodes slots and computes their features with one reusable Position. */
export class SampleDecoder {
  readonly position = new Position();
  /** Features of the last decoded sample: the side to move's, then the other side's. */
  readonly features: Int32Array;

  constructor(readonly featureSet: FeatureSet) {
    this.features = new Int32Array(2 * featureSet.maxActive);
  }

  /**
   * Decodes slot i into `position` and `features` and returns the record, or a DataProblem when
   * the bytes or the position are invalid.
   */
  decode(store: SlotArrays, i: number): TeacherRecord | DataProblem {
    let record: TeacherRecord;
    try {
      record = store.formats[i] === SLOT_PSV ? decodePsv(store.bytes, i * SLOT_BYTES) : decodeHcpe(store.bytes, i * SLOT_BYTES);
      this.position.setSetup(record.setup);
    } catch (error) {
      if (error instanceof RecordCodecError) return problem(store, i, error.code, error.message);
      if (error instanceof SfenError) return problem(store, i, "illegal_position", error.message);
      throw error;
    }
    const pos = this.position;
    const count = this.featureSet.maxActive;
    this.featureSet.activeFeatures(pos, pos.turn, this.features, 0);
    this.featureSet.activeFeatures(pos, (pos.turn ^ 1) as Color, this.features, count);
    return record;
  }
}

function problem(store: SlotArrays, i: number, code: string, detail: string): DataProblem {
  return { kind: "data", code, file: store.files[i], record: store.records[i], detail };
}

export function isDataProblem(value: TeacherRecord | DataProblem): value is DataProblem {
  return (value as DataProblem).kind === "data";
}

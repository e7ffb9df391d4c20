// Derived teacher-data files for the controls: a slice of a file's records, and a copy whose
// labels (score and result, kept together) are shuffled across positions.

import { openRecordReader } from "../nn/data/reader.js";
import type { TeacherRecord } from "../nn/data/record.js";
import { openRecordWriter } from "../nn/data/writer.js";
import { Random } from "../distill/trainer/random.js";

/** Counts the records of files. */
export async function countRecords(files: readonly string[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    const reader = await openRecordReader(file, { verify: "format" });
    if (reader.recordCount >= 0) {
      count += reader.recordCount;
      continue;
    }
    for await (const _record of reader) count++;
  }
  return count;
}

/**
 * Writes records [first, end) of the files, read in order as one sequence, to `out`; returns the
 * number written.
 */
export async function writeSlice(files: readonly string[], first: number, end: number, out: string): Promise<number> {
  const writer = await openRecordWriter(out, { overwrite: true });
  let index = 0;
  try {
    for (const file of files) {
      for await (const record of await openRecordReader(file)) {
        if (index >= first && index < end) await writer.write(record);
        index++;
      }
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return Math.max(0, Math.min(end, index) - first);
}

/**
 * Writes the records of the files with their labels permuted: each position keeps its move and
 * ply but gets the score and game result of another record, drawn by a seeded shuffle.
 */
export async function writeShuffledLabels(files: readonly string[], out: string, seed: number): Promise<number> {
  const records: TeacherRecord[] = [];
  for (const file of files) for await (const record of await openRecordReader(file)) records.push(record);
  const labels = records.map(({ score, result }) => ({ score, result }));
  new Random(seed).shuffle(labels);
  const writer = await openRecordWriter(out, { overwrite: true });
  try {
    for (let i = 0; i < records.length; i++) await writer.write({ ...records[i], ...labels[i] });
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return records.length;
}

// Checkpoints: one file per run folder, replaced after every epoch by writing FILE.tmp, syncing it
// and renaming it over FILE, so a crash leaves either the old or the new checkpoint whole.
//
// Layout: the 8-byte magic "SLTRAIN1", a little-endian uint32 header length, the header as UTF-8
// JSON, zero padding to a multiple of 4 bytes, then the tensors the header lists, as
// little-endian float32 in that order.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { floatsFromLittleEndian, littleEndianBytes } from "../../nn/weights.js";

export const CHECKPOINT_FILE = "trainer.ckpt";
const MAGIC = "SLTRAIN1";
const HEADER_LENGTH_BYTES = 4;
const ALIGNMENT = 4;

/** Data position of the next epoch: its number and the samples of it already used. */
export interface DataPosition {
  epoch: number;
  sample: number;
}

export interface CheckpointTensor {
  name: string;
  length: number;
}

export interface CheckpointHeader {
  /** Settings and inputs that decide the result; a resumed run must match them. */
  fingerprint: Record<string, unknown>;
  /** Epochs completed. */
  epoch: number;
  step: number;
  rngState: number;
  dataPosition: DataPosition;
  /** Training finished: the last epoch ran, or early stopping ended it. */
  finished: boolean;
  elapsedSeconds: number;
  /** Trainer bookkeeping (metrics history, best epoch); stored as given. */
  progress: unknown;
  tensors: CheckpointTensor[];
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Float32Array[];
}

export function checkpointPath(dir: string): string {
  return path.join(dir, CHECKPOINT_FILE);
}

/** Writes the checkpoint atomically (tmp, fsync, rename) into dir, creating dir when missing. */
export function saveCheckpoint(dir: string, header: Omit<CheckpointHeader, "tensors">, tensors: Array<{ name: string; data: Float32Array }>): void {
  mkdirSync(dir, { recursive: true });
  const full: CheckpointHeader = { ...header, tensors: tensors.map(({ name, data }) => ({ name, length: data.length })) };
  const json = Buffer.from(JSON.stringify(full), "utf8");
  const prefixLength = MAGIC.length + HEADER_LENGTH_BYTES + json.length;
  const padded = Math.ceil(prefixLength / ALIGNMENT) * ALIGNMENT;
  const prefix = Buffer.alloc(padded);
  prefix.write(MAGIC, 0, "latin1");
  prefix.writeUInt32LE(json.length, MAGIC.length);
  json.copy(prefix, MAGIC.length + HEADER_LENGTH_BYTES);
  const file = checkpointPath(dir);
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeAll(fd, prefix);
    for (const { data } of tensors) writeAll(fd, littleEndianBytes(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncDirectory(dir);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** Makes the rename durable; skipped where directories cannot be opened for syncing. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems reject fsync on a directory; the rename itself has happened.
  } finally {
    closeSync(fd);
  }
}

/** Reads the checkpoint of dir, or returns undefined when there is none. Throws on a damaged file. */
export function loadCheckpoint(dir: string): Checkpoint | undefined {
  const file = checkpointPath(dir);
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const damaged = (detail: string): never => {
    throw new Error(`${file}: damaged checkpoint (${detail}); delete it to start the run afresh`);
  };
  if (bytes.length < MAGIC.length + HEADER_LENGTH_BYTES || bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) damaged("wrong magic bytes");
  const jsonLength = bytes.readUInt32LE(MAGIC.length);
  const jsonStart = MAGIC.length + HEADER_LENGTH_BYTES;
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.toString("utf8", jsonStart, jsonStart + jsonLength)) as CheckpointHeader;
  } catch (error) {
    return damaged(`header is not JSON: ${(error as Error).message}`);
  }
  let offset = Math.ceil((jsonStart + jsonLength) / ALIGNMENT) * ALIGNMENT;
  const tensors = header.tensors.map(({ name, length }) => {
    if (offset + 4 * length > bytes.length) damaged(`tensor ${name} runs past the end of the file`);
    const tensor = floatsFromLittleEndian(bytes.subarray(offset, offset + 4 * length), length);
    offset += 4 * length;
    return tensor;
  });
  if (offset !== bytes.length) damaged(`${bytes.length - offset} bytes follow the last tensor`);
  return { header, tensors };
}

/** Names of the fingerprint fields whose values differ, with both values. */
export function fingerprintDifferences(stored: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(stored), ...Object.keys(current)]);
  const differences: string[] = [];
  for (const key of keys) {
    const before = JSON.stringify(stored[key]);
    const now = JSON.stringify(current[key]);
    if (before !== now) differences.push(`${key}: ${before ?? "(absent)"} in the checkpoint, ${now ?? "(absent)"} now`);
  }
  return differences;
}

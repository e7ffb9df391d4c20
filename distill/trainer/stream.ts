// Streams of records for one pass over the data, in bounded memory.
//
// Shuffled (training): the chunk order is a seeded permutation, and records pass through a shuffle
// buffer: the buffer is filled with whole chunks, and each sample drawn is a uniformly chosen record
// of the buffer, which is then topped up with the next chunk whenever a whole chunk fits again.
// Memory is the buffer (SLOT_BYTES + 13 bytes per record) plus one chunk.
// Sequential (validation): records in file order, one chunk in memory at a time.
//
// The sequence depends only on the files, the seed, the chunk size and the buffer capacity, so a
// run resumed at a data position replays it exactly.

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { type Chunk, type DataFile, SlotStore, listChunks, readChunk } from "./dataset.js";
import { Random } from "./random.js";

const SKIP_BATCH = 4096;

export class SampleStream {
  private readonly buffer: SlotStore;
  private readonly order: Chunk[];
  private readonly handles: Array<FileHandle | undefined>;
  private count = 0;
  private head = 0;
  private nextChunk = 0;

  /**
   * Opens a pass over the files. With a seed, the pass is shuffled with a buffer of `capacity`
   * records (at least one chunk); without, records come in file order.
   */
  constructor(
    private readonly files: readonly DataFile[],
    private readonly chunkRecords: number,
    capacity: number,
    seed: number | undefined,
  ) {
    this.order = listChunks(files, chunkRecords);
    this.random = seed === undefined ? null : new Random(seed);
    this.random?.shuffle(this.order);
    const total = files.reduce((sum, file) => sum + file.records, 0);
    const size = this.random ? Math.min(Math.max(capacity, chunkRecords), total) : Math.min(chunkRecords, total);
    this.buffer = new SlotStore(Math.max(1, size), false);
    this.handles = files.map(() => undefined);
  }

  private readonly random: Random | null;

  /** Moves up to `max` records into out[0..] and returns how many; 0 at the end of the pass. */
  async take(out: SlotStore, max: number): Promise<number> {
    return this.random ? this.takeShuffled(out, max) : this.takeSequential(out, max);
  }

  /** Drops the next `count` records, as a resumed run does to reach its data position. */
  async skip(count: number): Promise<void> {
    const scratch = new SlotStore(Math.min(SKIP_BATCH, Math.max(1, count)), false);
    for (let left = count; left > 0; ) {
      const taken = await this.take(scratch, Math.min(left, scratch.capacity));
      if (taken === 0) return;
      left -= taken;
    }
  }

  async close(): Promise<void> {
    for (const handle of this.handles) await handle?.close();
    this.handles.fill(undefined);
  }

  private async takeShuffled(out: SlotStore, max: number): Promise<number> {
    const random = this.random as Random;
    const buffer = this.buffer;
    let taken = 0;
    while (taken < max) {
      if (this.nextChunk < this.order.length && this.count + this.order[this.nextChunk].count <= buffer.capacity) {
        await this.readNextChunk(this.count);
        continue;
      }
      if (this.count === 0) break;
      const pick = random.below(this.count);
      out.copySlot(taken++, buffer, pick);
      this.count--;
      if (pick !== this.count) buffer.copySlot(pick, buffer, this.count);
    }
    return taken;
  }

  private async takeSequential(out: SlotStore, max: number): Promise<number> {
    let taken = 0;
    while (taken < max) {
      if (this.head === this.count) {
        if (this.nextChunk >= this.order.length) break;
        this.head = 0;
        this.count = 0;
        await this.readNextChunk(0);
      }
      out.copySlot(taken++, this.buffer, this.head++);
    }
    return taken;
  }

  private async readNextChunk(at: number): Promise<void> {
    const chunk = this.order[this.nextChunk++];
    const handle = this.handles[chunk.file] ?? (this.handles[chunk.file] = await open(this.files[chunk.file].path, "r"));
    await readChunk(this.files[chunk.file], chunk.file, handle, chunk, this.chunkRecords, this.buffer, at);
    this.count += chunk.count;
  }
}

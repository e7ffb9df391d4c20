// A per-engine log of USI traffic: one timestamped line per command sent (">"), line received
// ("<"), stderr line ("!") and process event ("#"), appended to a file. Writes are synchronous so
// that the log is complete up to the moment an engine or the arena dies.

import { closeSync, openSync, writeSync } from "node:fs";

export type IoDirection = ">" | "<" | "!" | "#";

export class IoLog {
  private fd: number | undefined;

  /** Opens `path` for appending; throws when the file cannot be opened. */
  constructor(
    readonly path: string,
    private readonly label: string,
  ) {
    this.fd = openSync(path, "a");
  }

  /** Appends `<ISO time> <label> <direction> <text>`; does nothing after `close`. */
  write(direction: IoDirection, text: string): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${new Date().toISOString()} ${this.label} ${direction} ${text}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

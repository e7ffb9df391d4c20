// The engine processes of one concurrent game slot. Without a log folder each engine keeps one
// process across games, restarted after it crashed or was killed. With a log folder each game
// gets fresh processes, so that every game has its own I/O log per engine.

import { join } from "node:path";
import { UsiClient } from "../usi/client.js";
import type { ResolvedEngine } from "./engines.js";

/** Characters kept in log file names; others become "_". */
const UNSAFE_FILE_CHARACTERS = /[^A-Za-z0-9._-]/g;

export function safeFileName(text: string): string {
  return text.replace(UNSAFE_FILE_CHARACTERS, "_");
}

export class EngineSlots {
  private readonly clients = new Map<string, UsiClient>();

  constructor(
    private readonly engines: ReadonlyMap<string, ResolvedEngine>,
    private readonly logDir?: string,
  ) {}

  /**
   * Returns the client of engine `name` for a game. `gameLabel` names the I/O log file when
   * there is a log folder; a new client (and process) is made for each game then.
   */
  clientFor(name: string, gameLabel: string): UsiClient {
    const existing = this.clients.get(name);
    if (existing && !this.logDir) return existing;
    const engine = this.engines.get(name);
    if (!engine) throw new Error(`engine ${name} is not in the plan`);
    const logFile = this.logDir ? join(this.logDir, `${safeFileName(gameLabel)}-${safeFileName(name)}.log`) : undefined;
    const client = new UsiClient({ ...engine.config, name, ...(logFile ? { logFile } : {}) });
    this.clients.set(name, client);
    return client;
  }

  /** Ends a game: with per-game logs, quits the game's processes so their logs are complete. */
  async endGame(names: readonly string[]): Promise<void> {
    if (!this.logDir) return;
    await Promise.all(names.map((name) => this.close(name)));
  }

  /** Kills every process at once, which makes a running search resolve with a crash. */
  killAll(): void {
    for (const client of this.clients.values()) void client.kill();
  }

  /** Quits every process; one that does not exit in time is killed. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.keys()].map((name) => this.close(name)));
  }

  private async close(name: string): Promise<void> {
    const client = this.clients.get(name);
    if (!client) return;
    this.clients.delete(name);
    if (client.state === "stopped") {
      await client.kill();
      return;
    }
    await client.quit();
  }
}

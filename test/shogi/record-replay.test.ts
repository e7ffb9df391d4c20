import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Position } from "../../shogi/position.js";
import { readRecordFile, type GameRecord } from "../../shogi/records/index.js";
import { checkRepetition, declarationResult, isCheckmateOrNoMoves } from "../../shogi/rules.js";
import { legalMoves } from "../../shogi/movegen.js";
import { BLACK, isDrop } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { SHARED_DATA, hasSharedData } from "../helpers/shared-data.js";

const RECORD_EXTENSIONS = new Set([".kif", ".kifu", ".ki2", ".ki2u", ".csa"]);

function recordFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) files.push(...recordFiles(full));
    else if (RECORD_EXTENSIONS.has(path.extname(name).toLowerCase())) files.push(full);
  }
  return files.sort();
}

async function tryRead(file: string): Promise<GameRecord | undefined> {
  try {
    return await readRecordFile(file);
  } catch {
    return undefined;
  }
}

/** Tells whether our rules accept the start position (some test files draw impossible boards). */
function validStart(record: GameRecord): boolean {
  try {
    Position.fromSfen(record.initialSfen);
    return true;
  } catch {
    return false;
  }
}

/** Replays a record with our rules; returns the final position, or the index of the first illegal move. */
function replay(record: GameRecord): { pos: Position; illegalAt: number } {
  const pos = Position.fromSfen(record.initialSfen);
  for (let i = 0; i < record.moves.length; i++) {
    const move = parseUsiMove(pos, record.moves[i]);
    if (move === 0) return { pos, illegalAt: i };
    pos.doMove(move);
  }
  return { pos, illegalAt: -1 };
}

/**
 * Tells whether the side to move is mated, counting drops between king and checker as no defence:
 * mate problems call a position mate when only futile interpositions (muda-ai) remain.
 */
function isMateUpToInterposition(pos: Position): boolean {
  if (isCheckmateOrNoMoves(pos)) return true;
  return pos.inCheck() && legalMoves(pos).every((move) => isDrop(move));
}

describe.skipIf(!hasSharedData)("records of the shared data under our rules", () => {
  const files = hasSharedData ? recordFiles(SHARED_DATA) : [];
  const readable: Array<{ file: string; record: GameRecord }> = [];
  const invalidStarts: string[] = [];

  beforeAll(async () => {
    for (const file of files) {
      const record = await tryRead(file);
      if (!record) continue;
      if (validStart(record)) readable.push({ file: path.relative(SHARED_DATA, file), record });
      else invalidStarts.push(path.relative(SHARED_DATA, file));
    }
    console.log(`records with a start position our rules reject: ${invalidStarts.join(", ") || "none"}`);
  });

  it("rejects only start positions with two pawns on a file (the nine-pawn puzzle)", () => {
    expect(invalidStarts.length).toBeLessThanOrEqual(5);
    for (const file of invalidStarts) expect(file).toMatch(/9fu/);
  });

  it("reads most records", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(readable.length).toBeGreaterThan(files.length * 0.9);
  });

  it("replays every move of every record as legal", () => {
    for (const { file, record } of readable) {
      const { illegalAt } = replay(record);
      // A record ended by an illegal move keeps that move only when the writer recorded it.
      if (record.termination === "illegal_move" && illegalAt === record.moves.length - 1) continue;
      expect(illegalAt, `${file}: move ${illegalAt + 1} ${record.moves[illegalAt]}`).toBe(-1);
    }
  });

  it("reaches the recorded verdict of repetitions, perpetual checks, declarations and mates", () => {
    const checked: Record<string, number> = {};
    for (const { file, record } of readable) {
      const { pos, illegalAt } = replay(record);
      if (illegalAt !== -1) continue;
      const kind = record.termination;
      if (kind === "repetition") {
        expect(checkRepetition(pos).kind, file).toBe("draw");
      } else if (kind === "perpetual_check") {
        // The side that checked throughout loses; the record names the winner.
        const sideToMoveWins = record.result === (pos.turn === BLACK ? "black_win" : "white_win");
        expect(checkRepetition(pos).kind, file).toBe(sideToMoveWins ? "win" : "loss");
      } else if (kind === "declaration") {
        expect(declarationResult(pos, "csa27"), file).toBe("win");
      } else if (kind === "checkmate") {
        expect(isMateUpToInterposition(pos), file).toBe(true);
      } else {
        continue;
      }
      checked[kind] = (checked[kind] ?? 0) + 1;
    }
    console.log(`verdicts checked: ${JSON.stringify(checked)}`);
    expect(Object.keys(checked).length).toBeGreaterThan(0);
  });
});

// The identity of a plan: a hash of everything that decides which games a tournament plays, so
// that a rerun of the same plan finds its tournament in the database and resumes it.

import { createHash } from "node:crypto";
import { type ArenaPlan, RUN_ONLY_FIELDS } from "./plan.js";

/** JSON with object keys sorted at every level, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareText(a, b));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/** Orders by UTF-16 code units, independent of the locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Returns the plan without the fields that may change between runs of one tournament. */
export function schedulePart(plan: ArenaPlan): Partial<ArenaPlan> {
  const copy: Partial<ArenaPlan> = { ...plan };
  for (const field of RUN_ONLY_FIELDS) delete copy[field];
  return copy;
}

/** SHA-256 of the canonical JSON of the plan without its run-only fields, as hex. */
export function planHash(plan: ArenaPlan): string {
  return createHash("sha256").update(canonicalJson(schedulePart(plan))).digest("hex");
}

// Typed readers for the fields of a parsed JSON value. Each takes the path of the value in the file
// ("variants[2].results[0].elo") and throws RunDataError naming that path and the expected type.

/** A run-data file that does not match the schema; `field` is the path of the offending value. */
export class RunDataError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "RunDataError";
  }
}

export type JsonObject = Record<string, unknown>;

const SHOWN_VALUE_LENGTH = 60;

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}...` : text;
}

export function fail(path: string, expected: string, value: unknown): never {
  throw new RunDataError(path, `${path}: expected ${expected}, got ${describeValue(value)}`);
}

export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

export function readObject(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "an object", value);
  return value as JsonObject;
}

export function readString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== "string" || value === "") fail(fieldPath(path, key), "a non-empty string", value);
  return value;
}

export function readOptionalString(object: JsonObject, key: string, path: string): string | undefined {
  return object[key] === undefined ? undefined : readString(object, key, path);
}

export function readNumber(object: JsonObject, key: string, path: string): number {
  const value = object[key];
  if (typeof value !== "number" || !Number.isFinite(value)) fail(fieldPath(path, key), "a finite number", value);
  return value;
}

export function readOptionalNumber(object: JsonObject, key: string, path: string): number | undefined {
  return object[key] === undefined ? undefined : readNumber(object, key, path);
}

/** Reads a number within [min, max]. */
export function readNumberIn(object: JsonObject, key: string, path: string, min: number, max: number): number {
  const value = object[key];
  if (typeof value !== "number" || !(value >= min && value <= max)) fail(fieldPath(path, key), `a number from ${min} to ${max}`, value);
  return value;
}

export function readPositiveNumber(object: JsonObject, key: string, path: string): number {
  const value = object[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) fail(fieldPath(path, key), "a positive number", value);
  return value;
}

/** Reads an integer >= `min` (0 unless given). */
export function readInteger(object: JsonObject, key: string, path: string, min = 0): number {
  const value = object[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) fail(fieldPath(path, key), `an integer >= ${min}`, value);
  return value;
}

/** Reads an array item that must be an integer >= 0. */
export function readIntegerItem(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) fail(path, "an integer >= 0", value);
  return value;
}

export function readBoolean(object: JsonObject, key: string, path: string): boolean {
  const value = object[key];
  if (typeof value !== "boolean") fail(fieldPath(path, key), "true or false", value);
  return value;
}

export function readChoice<T extends string>(object: JsonObject, key: string, path: string, choices: readonly T[]): T {
  const value = object[key];
  if (typeof value !== "string" || !choices.includes(value as T)) fail(fieldPath(path, key), `one of ${choices.map((choice) => `"${choice}"`).join(", ")}`, value);
  return value as T;
}

export function readArray<T>(object: JsonObject, key: string, path: string, readItem: (item: unknown, itemPath: string) => T): T[] {
  const value = object[key];
  const arrayPath = fieldPath(path, key);
  if (!Array.isArray(value)) fail(arrayPath, "an array", value);
  return value.map((item, index) => readItem(item, fieldPath(arrayPath, index)));
}

/** Reads an ISO 8601 date and time, such as "2025-05-01T09:30:00Z". */
export function readTimestamp(object: JsonObject, key: string, path: string): string {
  const value = readString(object, key, path);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) fail(fieldPath(path, key), "an ISO 8601 date and time", value);
  return value;
}

/** Reads a path inside the run folder: relative, "/"-separated, without ".." segments. */
export function readRelativePath(object: JsonObject, key: string, path: string): string {
  const value = readString(object, key, path);
  const segments = value.split("/");
  const inside = !value.startsWith("/") && !value.includes("\\") && !/^[A-Za-z]:/.test(value) && !segments.includes("..");
  if (!inside) fail(fieldPath(path, key), "a relative path inside the run folder, with / separators and no ..", value);
  return value;
}

/** Throws when two items share a name. */
export function requireUnique(names: readonly string[], path: string, what: string): void {
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (seen.has(name)) throw new RunDataError(fieldPath(path, index), `${fieldPath(path, index)}: ${what} "${name}" appears twice`);
    seen.add(name);
  }
}

/** Throws when `name` is not among `known`. */
export function requireKnown(name: string, known: ReadonlySet<string>, path: string, what: string): void {
  if (!known.has(name)) {
    throw new RunDataError(path, `${path}: unknown ${what} "${name}" (known: ${[...known].map((item) => `"${item}"`).join(", ") || "none"})`);
  }
}

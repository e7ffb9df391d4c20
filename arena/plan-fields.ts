// Typed reading of JSON objects field by field, with errors that name the field path, for the
// tournament plan.

import { DEFAULT_TIMEOUTS, type ClientTimeouts, type OptionValue } from "../usi/client.js";

/** A plan that cannot be used; the message names the field and the problem. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanError";
  }
}

interface NumberLimits<T> {
  min?: number;
  max?: number;
  fallback?: T;
}

const TIMEOUT_KEYS = Object.keys(DEFAULT_TIMEOUTS) as (keyof ClientTimeouts)[];

/** Returns a reader for `value`, which must be a JSON object found at `path`. */
export function objectAt(value: unknown, path: string): FieldReader {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PlanError(`${path}: expected an object, got ${describe(value)}`);
  }
  return new FieldReader(value as Record<string, unknown>, path);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "string" ? `"${value}"` : `${typeof value} ${String(value)}`;
}

/** Reads the fields of one object and remembers which were read, so unknown ones can be rejected. */
export class FieldReader {
  private readonly read = new Set<string>();

  constructor(
    private readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  consume(key: string): void {
    this.read.add(key);
  }

  string(key: string, fallback?: string): string {
    const value = this.take(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== "string" || value === "") throw this.error(key, "a non-empty string", value);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : this.skip(key);
  }

  number(key: string, limits: NumberLimits<number> = {}): number {
    const value = this.take(key);
    if (value === undefined && limits.fallback !== undefined) return limits.fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) throw this.error(key, "a number", value);
    this.checkRange(key, value, limits);
    return value;
  }

  integer(key: string, limits: NumberLimits<number> = {}): number {
    const value = this.number(key, limits);
    if (!Number.isInteger(value)) throw this.error(key, "a whole number", value);
    return value;
  }

  optionalInteger(key: string, min: number): number | undefined {
    return this.has(key) ? this.integer(key, { min }) : this.skip(key);
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") throw this.error(key, "true or false", value);
    return value;
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback?: T): T {
    const value = this.take(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (!choices.includes(value as T)) throw this.error(key, `one of ${choices.join(", ")}`, value);
    return value as T;
  }

  object(key: string): FieldReader {
    return objectAt(this.take(key), `${this.path}.${key}`);
  }

  optionalObject(key: string): FieldReader | undefined {
    return this.has(key) ? this.object(key) : this.skip(key);
  }

  array(key: string): unknown[] {
    const value = this.take(key);
    if (!Array.isArray(value)) throw this.error(key, "an array", value);
    return value;
  }

  /** Reads an array of strings; [] when absent. */
  stringArray(key: string): string[] {
    if (!this.has(key)) return this.skip(key) ?? [];
    const list = this.array(key);
    if (!list.every((item) => typeof item === "string")) throw this.error(key, "an array of strings", list);
    return list as string[];
  }

  /** Reads USI option values (strings, numbers or booleans) by option name; {} when absent. */
  optionValues(key: string): Record<string, OptionValue> {
    const field = this.optionalObject(key);
    if (!field) return {};
    const values: Record<string, OptionValue> = {};
    for (const name of field.keys()) {
      const value = field.take(name);
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw field.error(name, "a string, number or boolean", value);
      }
      values[name] = value;
    }
    return values;
  }

  /** Reads every field of this object as a number. */
  numberRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    for (const key of this.keys()) record[key] = this.number(key);
    return record;
  }

  /** Reads client time-outs in milliseconds, named as UsiClient names them. */
  timeouts(): Partial<ClientTimeouts> {
    const timeouts: Partial<ClientTimeouts> = {};
    for (const key of TIMEOUT_KEYS) {
      if (this.has(key)) timeouts[key] = this.integer(key, { min: 1 });
    }
    this.rejectUnknown();
    return timeouts;
  }

  /** Throws for a field that no reader method took, such as a misspelt name. */
  rejectUnknown(): void {
    const unknown = this.keys().filter((key) => !this.read.has(key));
    if (unknown.length > 0) throw new PlanError(`${this.path}: unknown field ${unknown.map((key) => `"${key}"`).join(", ")}`);
  }

  private keys(): string[] {
    return Object.keys(this.value);
  }

  private take(key: string): unknown {
    this.read.add(key);
    return this.value[key];
  }

  private skip(key: string): undefined {
    this.read.add(key);
    return undefined;
  }

  private checkRange(key: string, value: number, limits: NumberLimits<number>): void {
    if (limits.min !== undefined && value < limits.min) throw this.error(key, `a number of at least ${limits.min}`, value);
    if (limits.max !== undefined && value > limits.max) throw this.error(key, `a number of at most ${limits.max}`, value);
  }

  private error(key: string, expected: string, value: unknown): PlanError {
    const shown = value === undefined ? "nothing (the field is missing)" : describe(value);
    return new PlanError(`${this.path}.${key}: expected ${expected}, got ${shown}`);
  }
}

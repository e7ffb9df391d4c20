import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { FSF_NATIVE_PATH, GPSUSI_PATH, listReferenceEngines } from "../../usi/reference-engines.js";

describe("listReferenceEngines", () => {
  test("lists only fsf-wasm without system engines", () => {
    const engines = listReferenceEngines(() => false);

    expect(engines.map((engine) => engine.id)).toEqual(["fsf-wasm"]);
    expect(engines[0]?.command).toBe(process.execPath);
    expect(engines[0]?.args).toHaveLength(1);
    expect(existsSync(engines[0]?.args[0] ?? "")).toBe(true);
    expect(engines[0]?.args[0]).toMatch(/bin[\\/]fsf-wasm-usi\.js$/);
  });

  test("adds installed native engines", () => {
    const engines = listReferenceEngines(() => true);

    expect(engines.map((engine) => engine.id)).toEqual(["fsf-wasm", "fsf-native", "gpsusi"]);
    expect(engines[1]?.command).toBe(FSF_NATIVE_PATH);
    expect(engines[2]?.command).toBe(GPSUSI_PATH);
  });
});

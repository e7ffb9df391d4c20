// The part of the WebAssembly JavaScript API that the project uses (the evaluator's dense layers
// and the trainer's kernels). It is typed here because the project's TypeScript libraries (ES2022
// and Node's types) do not declare the WebAssembly namespace.

export type WasmModule = object;

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports?: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly object, or undefined where it has none. */
export const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

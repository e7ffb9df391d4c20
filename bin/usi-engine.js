#!/usr/bin/env node
// The USI engine without the rest of the CLI, so a GUI gets `usiok` quickly.
// Usage: usi-engine.js [model.onnx]; the GUI's EvalFile option overrides the model.
import { runUsiEngine } from "../dist/engine/usi-main.js";

await runUsiEngine({ model: process.argv[2] });
process.exit(0);

// Chooses the evaluator for the engine and the bench from a model path.
import { NativeEvaluator } from "../nn/native-evaluator.js";
import { readModelFile } from "../nn/onnx-reader.js";
import type { Position } from "../shogi/position.js";
import type { Move } from "../shogi/types.js";
import { type Evaluator, MaterialEvaluator } from "./evaluator.js";

/** Evaluates with an ONNX model through the native incremental evaluator. */
export class NetworkEvaluator implements Evaluator {
  constructor(
    readonly name: string,
    private readonly network: NativeEvaluator,
  ) {}

  reset(pos: Position): void {
    this.network.reset(pos);
  }
  push(pos: Position, move: Move): void {
    this.network.push(pos, move);
  }
  pushNull(): void {
    this.network.pushNull();
  }
  pop(): void {
    this.network.pop();
  }
  evaluate(pos: Position): number {
    return this.network.evaluate(pos);
  }
}

/** Returns the evaluator named by `model`: "material", or an ONNX model file; throws ModelError on a bad file. */
export async function loadEvaluator(model: string): Promise<Evaluator> {
  if (model === "material") return new MaterialEvaluator();
  const loaded = readModelFile(model);
  return new NetworkEvaluator(`${model} (${loaded.card.contentHash.slice(0, 19)})`, new NativeEvaluator(loaded.weights));
}

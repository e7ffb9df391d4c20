// Chooses the evaluator for the engine and the bench from a model path.
import { type Evaluator, MaterialEvaluator } from "./evaluator.js";

/** Returns the evaluator named by `model`: "material", or an ONNX model file. */
export async function loadEvaluator(model: string): Promise<Evaluator> {
  if (model === "material") return new MaterialEvaluator();
  // TODO: load ONNX models through the native incremental evaluator once nn/ provides it.
  throw new Error(`cannot load model "${model}": only 'material' is available in this build`);
}

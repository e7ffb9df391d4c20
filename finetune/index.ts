// The fine-tuning lab: fine-tuning modes on top of the distillation trainer, sweeps over them,
// controls, result-labelled game records, and the opening book of the surroundings arm.

export { FINETUNE_MODES, type FinetuneMode, type ModeSettings, type ModePlan, planMode } from "./modes.js";
export { type LoraOptions, checkLoraOptions, createExtension as createLoraExtension, loraTargetNames } from "./lora.js";
export { FINETUNE_DEFAULTS, type FinetuneOptions, type FinetuneResult, baseLambda, runFinetune } from "./run.js";
export { type Measurements, type SetMetrics, type TensorDistance, measureWeights, weightDistance } from "./measure.js";
export {
  type BaseTraining, type SearchVariant, type SweepPlan, type SweepPlanInput, type SweepSource, SWEEP_DEFAULTS, SweepPlanError,
  loadSweepPlan, parseSweepPlan,
} from "./sweep-plan.js";
export {
  type BaseLine, RESULTS_FILE, type SurroundingsLine, type SweepCell, type SweepHooks, type SweepLine, type SweepProgress,
  type SweepResult, type VariantLine, modeTag, readSweepResults, runSweep, sweepCells,
} from "./sweep.js";
export { summarizeSweep } from "./sweep-summary.js";
export { CONTROL_DEFAULTS, type ControlOptions, type ControlOutcome, type ControlsResult, runControls } from "./controls.js";
export { type BookOptions, type BookSummary, buildBook } from "./book-builder.js";
export { type BookCoverage, bookCoverage } from "./book-coverage.js";
export { type RecordsOptions, type RecordsSummary, convertRecords, gameRecords } from "./records.js";

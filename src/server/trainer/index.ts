/**
 * The local provider's trainer: a tiny log-linear n-gram language model with a copy component, fitted by SGD on
 * the CPU. See docs/trainer.md. Implements TrainerApi (./types.ts).
 */
import { baseSnapshot } from "./base-model.js";
import { cloneParams } from "./params.js";
import { Run } from "./run.js";
import { paramsOf } from "./snapshot.js";
import { tokenizerFor } from "./tokenizer.js";
import type { TrainerApi } from "./types.js";

export { baseSnapshot as baseModel } from "./base-model.js";
export { generateJson } from "./constrained.js";
export { generate } from "./generate.js";

export const startTraining: TrainerApi["startTraining"] = (train, validation, config) => {
  const start = config.initialModel ?? baseSnapshot(config.baseModel);
  const params = cloneParams(paramsOf(start));
  return new Run(tokenizerFor(params.encoding), params, train, validation, config);
};

export type * from "./types.js";

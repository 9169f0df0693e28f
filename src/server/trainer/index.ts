/**
 * The local provider's trainer: a tiny log-linear n-gram language model with a copy component, fitted by SGD on
 * the CPU. See docs/trainer.md. Implements TrainerApi (./types.ts).
 */
import { baseSnapshot } from "./base-model.js";
import { generateJson as generateStructured } from "./constrained.js";
import { generate as generateText } from "./generate.js";
import { cloneParams } from "./params.js";
import { Run } from "./run.js";
import { paramsOf } from "./snapshot.js";
import { tokenizerFor } from "./tokenizer.js";
import type { TrainerApi } from "./types.js";

export const startTraining: TrainerApi["startTraining"] = (train, validation, config) => {
  const start = config.initialModel ?? baseSnapshot(config.baseModel);
  const params = cloneParams(paramsOf(start));
  return new Run(tokenizerFor(params.encoding), params, train, validation, config);
};

export const baseModel: TrainerApi["baseModel"] = (name) => baseSnapshot(name);

export const generate: TrainerApi["generate"] = (model, messages, options) => generateText(model, messages, options);

export const generateJson: TrainerApi["generateJson"] = (model, messages, schema, options) =>
  generateStructured(model, messages, schema, options);

export type * from "./types.js";

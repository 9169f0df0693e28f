import type { OpenAI } from "openai";
import type { FineTuningJob, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import { fineTuningJobs } from "../remote-jobs/fine-tuning.js";
import { collectOutputs, jobFailure } from "../training-result.js";
import { makeTrainingApi, type TrainingApi } from "./api.js";
import type { TrainingSpec } from "./spec.js";

/** Which request shape the service expects for the same fine-tuning API. */
export type FineTuningBody = "openai" | "nebius";

/** Fine-tuning through the OpenAI API shape: OpenAI, Azure, compatible services, Nebius, the local provider. */
export function openaiTraining(client: OpenAI, body: FineTuningBody = "openai"): TrainingApi {
  const kind = fineTuningJobs(client, body === "nebius" ? nebiusBody : openaiBody);
  return makeTrainingApi<FineTuningJob>(kind, {
    outputs: (job, call, input) => collectOutputs({ client, call, job, ...input }),
    failure: jobFailure,
    modelOf: (job) => job.fine_tuned_model,
  });
}

/**
 * OpenAI's request: `method` with its hyperparameters (https://platform.openai.com/docs/api-reference/fine-tuning/create).
 * LoRA and an absolute learning rate are not settings OpenAI has; the config rules reject them before a run.
 */
export function openaiBody(spec: TrainingSpec): JobCreateParams {
  const hp = spec.hyperparameters;
  const common = {
    ...(hp.n_epochs !== undefined ? { n_epochs: hp.n_epochs } : {}),
    ...(hp.batch_size !== undefined ? { batch_size: hp.batch_size } : {}),
    ...(hp.learning_rate_multiplier !== undefined ? { learning_rate_multiplier: hp.learning_rate_multiplier } : {}),
  };
  const method: JobCreateParams.Method =
    spec.method === "dpo"
      ? { type: "dpo", dpo: { hyperparameters: { ...common, ...(hp.beta !== undefined ? { beta: hp.beta } : {}) } } }
      : { type: "supervised", supervised: { hyperparameters: common } };
  return {
    model: spec.model,
    training_file: spec.training_file,
    ...(spec.validation_file ? { validation_file: spec.validation_file } : {}),
    method,
    ...(spec.suffix !== undefined ? { suffix: spec.suffix } : {}),
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

/**
 * Nebius Token Factory's request: the OpenAI shape with its own hyperparameters, an absolute `learning_rate` and
 * LoRA as `lora`, `lora_r`, `lora_alpha`, `lora_dropout` (https://docs.tokenfactory.nebius.com/post-training/how-to-fine-tune).
 */
export function nebiusBody(spec: TrainingSpec): JobCreateParams {
  const hp = spec.hyperparameters;
  const hyperparameters: Record<string, unknown> = {
    ...(typeof hp.n_epochs === "number" ? { n_epochs: hp.n_epochs } : {}),
    ...(typeof hp.batch_size === "number" ? { batch_size: hp.batch_size } : {}),
    ...(hp.learning_rate !== undefined ? { learning_rate: hp.learning_rate } : {}),
    lora: spec.lora !== undefined,
    ...(spec.lora?.r !== undefined ? { lora_r: spec.lora.r } : {}),
    ...(spec.lora?.alpha !== undefined ? { lora_alpha: spec.lora.alpha } : {}),
    ...(spec.lora?.dropout !== undefined ? { lora_dropout: spec.lora.dropout } : {}),
  };
  return {
    model: spec.model,
    training_file: spec.training_file,
    ...(spec.validation_file ? { validation_file: spec.validation_file } : {}),
    // The SDK types `hyperparameters` as OpenAI's; Nebius reads its own names from the same object.
    hyperparameters: hyperparameters as JobCreateParams.Hyperparameters,
    ...(spec.suffix !== undefined ? { suffix: spec.suffix } : {}),
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

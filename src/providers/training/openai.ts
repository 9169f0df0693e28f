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

/** The request's fields every dialect shares; an undefined one is left out of the JSON body. */
function commonBody(spec: TrainingSpec) {
  return {
    model: spec.model,
    training_file: spec.training_file,
    validation_file: spec.validation_file || undefined,
    suffix: spec.suffix,
    seed: spec.seed,
  };
}

/**
 * OpenAI's request: `method` with its hyperparameters (https://platform.openai.com/docs/api-reference/fine-tuning/create).
 * LoRA and an absolute learning rate are not settings OpenAI has; the config rules reject them before a run.
 */
export function openaiBody(spec: TrainingSpec): JobCreateParams {
  const { n_epochs, batch_size, learning_rate_multiplier, beta } = spec.hyperparameters;
  const common = { n_epochs, batch_size, learning_rate_multiplier };
  const method: JobCreateParams.Method =
    spec.method === "dpo"
      ? { type: "dpo", dpo: { hyperparameters: { ...common, beta } } }
      : { type: "supervised", supervised: { hyperparameters: common } };
  return { ...commonBody(spec), method };
}

/**
 * Nebius Token Factory's request: the OpenAI shape with its own hyperparameters, an absolute `learning_rate` and
 * LoRA as `lora`, `lora_r`, `lora_alpha`, `lora_dropout` (https://docs.tokenfactory.nebius.com/post-training/how-to-fine-tune).
 */
export function nebiusBody(spec: TrainingSpec): JobCreateParams {
  const hp = spec.hyperparameters;
  const hyperparameters = {
    n_epochs: typeof hp.n_epochs === "number" ? hp.n_epochs : undefined,
    batch_size: typeof hp.batch_size === "number" ? hp.batch_size : undefined,
    learning_rate: hp.learning_rate,
    lora: spec.lora !== undefined,
    lora_r: spec.lora?.r,
    lora_alpha: spec.lora?.alpha,
    lora_dropout: spec.lora?.dropout,
  };
  // The SDK types `hyperparameters` as OpenAI's; Nebius reads its own names from the same object.
  return { ...commonBody(spec), hyperparameters: hyperparameters as JobCreateParams.Hyperparameters };
}

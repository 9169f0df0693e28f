import type { LoadedPipeline } from "../../core/loaded-pipeline.js";

/** A hyperparameter's value: a number, or "auto" for the provider's own choice. */
export type Setting = number | "auto";

/**
 * What to train, in tunefile's terms; each provider's dialect maps it to its own request (OpenAI's `method` with
 * `learning_rate_multiplier`, Nebius's `learning_rate` and `lora_*`, Together's `training_type`).
 */
export interface TrainingSpec {
  model: string;
  training_file: string;
  validation_file?: string;
  method: "supervised" | "dpo";
  hyperparameters: {
    n_epochs?: Setting;
    batch_size?: Setting;
    learning_rate_multiplier?: Setting;
    learning_rate?: number;
    beta?: Setting;
  };
  /** LoRA adapter settings, where the provider trains adapters. */
  lora?: { r?: number; alpha?: number; dropout?: number };
  suffix?: string;
  seed?: number;
}

/** The spec of a pipeline's training, with the uploaded files. */
export function trainingSpec(pipeline: LoadedPipeline, trainingFile: string, validationFile?: string): TrainingSpec {
  const t = pipeline.config.training ?? {};
  return {
    model: pipeline.config.model,
    training_file: trainingFile,
    validation_file: validationFile || undefined,
    method: t.method ?? "supervised",
    hyperparameters: { ...t.hyperparameters },
    lora: t.lora,
    suffix: t.suffix,
    seed: t.seed,
  };
}

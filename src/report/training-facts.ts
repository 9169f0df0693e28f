import { roundUsd } from "../core/format-usd.js";
import type { Pipeline } from "../core/pipeline.generated.js";
import { type AppliedTrainingPrice, trainingPrice } from "../core/catalog/prices.js";
import type { StageRecord } from "../engine/stage.js";
import type { ProviderIdentity } from "../providers/provider.js";
import { type CheckpointFacts, checkpointOf, outputsOf } from "../engine/stage-io.js";
import { checkLoss, type LossCheck } from "./loss-check.js";
import type { TrainingMetrics } from "./metrics.js";

/** What the report says about training: what ran, on what, for how long, at what cost, and how the loss went. */
export type TrainingFacts =
  | {
      status: "trained";
      /** Kind and base URL only: never a key. */
      provider: ProviderIdentity;
      job_id: string;
      base_model: string;
      fine_tuned_model: string;
      /** As the service resolved them ("auto" replaced by numbers). */
      hyperparameters: Record<string, unknown>;
      trained_tokens: number | null;
      /** prepare's estimate, before training. */
      estimated_usd?: number;
      /** trained_tokens × `training_price`: what the service's own count costs at that price (not a bill). */
      actual_usd?: number;
      training_price?: AppliedTrainingPrice;
      started_at?: string;
      finished_at?: string;
      duration_seconds?: number;
      /** job: the service's created_at/finished_at; stage: when this project's train stage started and ended. */
      duration_from?: "job" | "stage";
      checkpoints: CheckpointFacts[];
      /** Absent when the service gave no metrics file. */
      loss?: LossCheck;
    }
  /** training.fine_tuned_model: an existing model was evaluated and nothing was trained. */
  | { status: "skipped"; fine_tuned_model: string }
  /** No train stage ran for this evaluation (it is disabled or its record is missing). */
  | { status: "not_run" };

/**
 * The training facts from the train stage's lockfile record (its outputs and, for the provider, its checkpoint),
 * the pipeline's prices and the job's metrics file.
 */
export function trainingFacts(input: {
  config: Pipeline;
  train: StageRecord | undefined;
  /** The evaluation's provider, used when the train record does not name one. */
  provider: ProviderIdentity;
  metrics: TrainingMetrics | undefined;
}): TrainingFacts {
  const existing = input.config.training?.fine_tuned_model;
  if (existing) return { status: "skipped", fine_tuned_model: existing };
  const outputs = input.train?.status === "succeeded" ? outputsOf("train", input.train) : undefined;
  if (!outputs?.job_id) return { status: "not_run" };
  const recorded = checkpointOf("train", input.train).provider;
  const provider = recorded ? { kind: recorded.kind, base_url: recorded.base_url } : input.provider;
  const facts: TrainingFacts = {
    status: "trained",
    provider,
    job_id: outputs.job_id,
    base_model: outputs.base_model ?? input.config.model,
    fine_tuned_model: outputs.fine_tuned_model ?? "",
    hyperparameters: outputs.hyperparameters ?? {},
    trained_tokens: outputs.trained_tokens ?? null,
    checkpoints: outputs.checkpoint_steps ?? (outputs.checkpoints ?? []).map(checkpointFromName),
  };
  if (outputs.estimated_usd !== undefined) facts.estimated_usd = outputs.estimated_usd;
  const price = trainingPrice(input.config.model, input.config.prices);
  if (price) facts.training_price = price;
  // What the train stage recorded (the provider's own total where it gives one, e.g. Together), else the tokens at
  // the price.
  const computed =
    price && facts.trained_tokens !== null ? roundUsd((facts.trained_tokens * price.per_1m) / 1e6) : undefined;
  const actual = outputs.actual_usd ?? computed;
  if (actual !== undefined) facts.actual_usd = actual;
  const job = outputs.created_at && outputs.finished_at ? [outputs.created_at, outputs.finished_at] : undefined;
  const stage =
    input.train?.started_at && input.train.finished_at ? [input.train.started_at, input.train.finished_at] : undefined;
  const span = job ?? stage;
  if (span) {
    facts.started_at = span[0]!;
    facts.finished_at = span[1]!;
    facts.duration_seconds = Math.max(0, Math.round((Date.parse(span[1]!) - Date.parse(span[0]!)) / 1000));
    facts.duration_from = job ? "job" : "stage";
  }
  if (input.metrics && input.metrics.rows.length > 0) facts.loss = checkLoss(input.metrics);
  return facts;
}

/** Records from before checkpoint_steps existed: the step from the `:ckpt-step-N` suffix, no metrics. */
function checkpointFromName(model: string): CheckpointFacts {
  const step = /:ckpt-step-(\d+)$/.exec(model);
  return { model, step: step ? Number(step[1]) : 0, metrics: {} };
}

import { roundUsd } from "../../core/format-usd.js";
import { relativePosix } from "../../core/display-path.js";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OpenAI } from "openai";
import type { FineTuningJob, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import { trainingPrice } from "../../core/catalog/prices.js";
import type { TrainOutputs } from "../../engine/stage-io.js";
import type { StageError } from "../../engine/stage-record.js";
import { providerCode } from "../errors.js";
import type { RemoteCall } from "../remote-call.js";
import { fineTuningJobs } from "../remote-jobs/fine-tuning.js";
import { type FinishInput, makeTrainingApi, type TrainingApi } from "./api.js";
import type { TrainingSpec } from "./spec.js";

/** Which request shape the service expects for the same fine-tuning API. */
export type FineTuningBody = "openai" | "nebius";

/** Fine-tuning through the OpenAI API shape: OpenAI, Azure, compatible services, Nebius, the local provider. */
export function openaiTraining(client: OpenAI, body: FineTuningBody = "openai"): TrainingApi {
  const kind = fineTuningJobs(client, body === "nebius" ? nebiusBody : openaiBody);
  return makeTrainingApi<FineTuningJob>(kind, {
    outputs: (job, call, input) => collectOutputs(client, call, job, input),
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

/** What a succeeded job produced: checkpoints, cost and the result CSV (written decoded to `<workDir>/metrics.csv`). */
async function collectOutputs(
  client: OpenAI,
  call: RemoteCall,
  job: FineTuningJob,
  input: FinishInput,
): Promise<TrainOutputs> {
  const page = await call("fine_tuning.jobs.checkpoints.list", (signal) =>
    client.fineTuning.jobs.checkpoints.list(job.id, { limit: 100 }, { signal }),
  );
  const sorted = [...page.data].sort((a, b) => a.step_number - b.step_number);
  const resultFile = job.result_files[0];
  let metricsFile: string | undefined;
  if (resultFile) {
    const raw = await call("files.content", async (signal) =>
      (await client.files.content(resultFile, { signal })).text(),
    );
    metricsFile = path.join(input.workDir, "metrics.csv");
    await mkdir(input.workDir, { recursive: true });
    await writeFile(metricsFile, decodeResultFile(raw));
  }
  const price = trainingPrice(job.model, input.prices)?.per_1m;
  const tokens = job.trained_tokens ?? null;
  return {
    job_id: job.id,
    status: job.status,
    base_model: job.model,
    fine_tuned_model: job.fine_tuned_model ?? "",
    trained_tokens: tokens,
    checkpoints: sorted.map((c) => c.fine_tuned_model_checkpoint),
    checkpoint_steps: sorted.map((c) => ({
      model: c.fine_tuned_model_checkpoint,
      step: c.step_number,
      metrics: numericMetrics(c.metrics),
    })),
    hyperparameters: resolvedHyperparameters(job),
    ...(input.estimatedUsd !== undefined ? { estimated_usd: input.estimatedUsd } : {}),
    ...(price !== undefined && tokens !== null ? { actual_usd: roundUsd((tokens * price) / 1_000_000) } : {}),
    ...(typeof job.created_at === "number" ? { created_at: isoFromUnix(job.created_at) } : {}),
    ...(typeof job.finished_at === "number" ? { finished_at: isoFromUnix(job.finished_at) } : {}),
    ...(metricsFile ? { metrics_file: relativePosix(input.root, metricsFile) } : {}),
  };
}

/** Result files are base64 CSV on OpenAI; some compatible services send the CSV itself. */
function decodeResultFile(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith("step,")) return raw;
  return Buffer.from(trimmed, "base64").toString("utf8");
}

function resolvedHyperparameters(job: FineTuningJob): Record<string, unknown> {
  const method = job.method as { type?: string } & Record<string, { hyperparameters?: Record<string, unknown> }>;
  const fromMethod = method?.type ? method[method.type]?.hyperparameters : undefined;
  return { ...(fromMethod ?? (job.hyperparameters as Record<string, unknown> | null) ?? {}) };
}

/** The provider's code and message of a failed job; an all-null error gets ours. */
function jobFailure(job: FineTuningJob): StageError {
  const error = job.error as { code?: string | null; message?: string | null } | null;
  return {
    code: error?.code ? providerCode(error.code) : "job-failed",
    message: error?.message || `the fine-tuning job ${job.id} failed without a message from the provider`,
  };
}

/** The numeric metrics of a checkpoint (the service may send null for ones it did not compute). */
function numericMetrics(metrics: unknown): Record<string, number> {
  if (metrics === null || typeof metrics !== "object") return {};
  return Object.fromEntries(
    Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])),
  );
}

function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

import type { Clock } from "../../core/clock.js";
import { nowSeconds } from "../time.js";
import { newId } from "../ids.js";
import type { CheckpointMetrics, EventObject, JobRecord } from "../records.js";
import type { StepMetrics } from "../trainer/types.js";

/** Job events in OpenAI's words (only messages seen in real transcripts); failures add one `error`-level event. */
export const EventText = {
  created: (jobId: string) => `Created fine-tuning job: ${jobId}`,
  validating: (trainingFile: string, validationFile: string | null) =>
    validationFile === null
      ? `Validating training file: ${trainingFile}`
      : `Validating training file: ${trainingFile} and validation file: ${validationFile}`,
  validated: "Files validated, moving job to queued state",
  started: "Fine-tuning job started",
  checkpoint: (step: number, model: string) => `Checkpoint created at step ${step} with Snapshot ID: ${model}`,
  modelCreated: (model: string) => `New fine-tuned model created: ${model}`,
  succeeded: "The job has successfully completed",
} as const;

export function addEvent(
  record: JobRecord,
  clock: Clock,
  message: string,
  opts: { level?: EventObject["level"]; type?: EventObject["type"]; data?: Record<string, unknown> } = {},
): EventObject {
  const event: EventObject = {
    id: newId.event(),
    object: "fine_tuning.job.event",
    created_at: nowSeconds(clock),
    level: opts.level ?? "info",
    message,
    type: opts.type ?? "message",
    data: opts.data ?? {},
  };
  record.events.push(event);
  return event;
}

/** `Step 3/30: training loss=1.52, validation loss=1.80, full validation loss=1.75`, as the real service words it. */
export function metricsMessage(m: StepMetrics): string {
  const parts = [`training loss=${m.trainLoss.toFixed(2)}`];
  if (m.validLoss !== undefined) parts.push(`validation loss=${m.validLoss.toFixed(2)}`);
  if (m.fullValidLoss !== undefined) parts.push(`full validation loss=${m.fullValidLoss.toFixed(2)}`);
  return `Step ${m.step}/${m.totalSteps}: ${parts.join(", ")}`;
}

/** The metrics event's `data`, in the service's snake_case keys; validation keys only when computed on this step. */
export function metricsData(
  m: StepMetrics,
): CheckpointMetrics & { total_steps: number; train_reward_accuracy?: number; train_reward_margin?: number } {
  const data: ReturnType<typeof metricsData> = {
    step: m.step,
    total_steps: m.totalSteps,
    train_loss: m.trainLoss,
    train_mean_token_accuracy: m.trainMeanTokenAccuracy,
  };
  if (m.validLoss !== undefined) data.valid_loss = m.validLoss;
  if (m.validMeanTokenAccuracy !== undefined) data.valid_mean_token_accuracy = m.validMeanTokenAccuracy;
  if (m.fullValidLoss !== undefined) data.full_valid_loss = m.fullValidLoss;
  if (m.fullValidMeanTokenAccuracy !== undefined) data.full_valid_mean_token_accuracy = m.fullValidMeanTokenAccuracy;
  if (m.trainRewardAccuracy !== undefined) data.train_reward_accuracy = m.trainRewardAccuracy;
  if (m.trainRewardMargin !== undefined) data.train_reward_margin = m.trainRewardMargin;
  return data;
}

/** Drops an interrupted run's progress, so a restarted run re-emits its steps instead of an overlapping series. */
export function dropTrainingProgress(record: JobRecord): void {
  const lastStart = record.events.map((e) => e.message).lastIndexOf(EventText.started);
  if (lastStart !== -1) record.events.length = lastStart;
  record.checkpoints = [];
  record.results = [];
}

import type { StageRecord } from "../engine/stage.js";
import { type Clock, systemClock } from "../core/clock.js";
import { metricsOf, type TrainingProgress } from "./monitor.js";
import type { Provider } from "./provider.js";
import { makeRedactor, type Redactor } from "./redact.js";
import { makeRemoteCall } from "./remote-call.js";

/** Remote progress of a running train stage, for `tunefile status`. */
export interface RemoteTrainingStatus extends TrainingProgress {
  job_id: string;
  fine_tuned_model: string | null;
  /** The newest event's message, e.g. "Step 42/100: training loss=0.31". */
  latest?: string;
}

export interface RemoteStatusOptions {
  /** Stops the requests (Ctrl+C). Default: never. */
  signal?: AbortSignal;
  /** Default: the system clock. */
  clock?: Clock;
  /** Scrubs secrets from retry reasons; pass makeRedactor(env). Default: header and key patterns only. */
  redact?: Redactor;
}

/**
 * Fetches where a train stage's job is: two requests (the job, its newest events), retried like any remote call.
 * Undefined when the record names no job.
 */
export async function describeRemoteTraining(
  provider: Provider,
  record: StageRecord,
  options: RemoteStatusOptions = {},
): Promise<RemoteTrainingStatus | undefined> {
  const jobId = (record.checkpoint as { job_id?: unknown } | undefined)?.job_id;
  if (typeof jobId !== "string") return undefined;
  const call = makeRemoteCall({
    stage: "train",
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? systemClock,
    redact: options.redact ?? makeRedactor({}),
    emit: () => {},
  });
  const job = await call("fine_tuning.jobs.retrieve", (signal) =>
    provider.client.fineTuning.jobs.retrieve(jobId, { signal }),
  );
  const events = await call("fine_tuning.jobs.listEvents", (signal) =>
    provider.client.fineTuning.jobs.listEvents(jobId, { limit: 20 }, { signal }),
  );
  const newestMetrics = events.data.find((e) => e.type === "metrics");
  const latest = events.data[0]?.message;
  return {
    job_id: job.id,
    status: job.status,
    fine_tuned_model: job.fine_tuned_model,
    ...(newestMetrics ? metricsOf(newestMetrics) : {}),
    ...(latest ? { latest } : {}),
  };
}

import type { StageRecord } from "../engine/stage.js";
import type { Clock } from "../util/clock.js";
import { metricsOf, type TrainingProgress } from "./monitor.js";
import type { Provider } from "./provider.js";
import type { Redactor } from "./redact.js";
import { makeRemoteCall } from "./remote-call.js";

/** Remote progress of a running train stage, for `tunefile status`. */
export interface RemoteTrainingStatus extends TrainingProgress {
  job_id: string;
  fine_tuned_model: string | null;
  /** The newest event's message, e.g. "Step 42/100: training loss=0.31". */
  latest?: string;
}

/**
 * Fetches where a train stage's job is: two requests (the job, its newest events), retried like any remote call.
 * Undefined when the record names no job.
 */
export async function describeRemoteTraining(
  provider: Provider,
  record: StageRecord,
  options: { signal: AbortSignal; clock: Clock; redact: Redactor },
): Promise<RemoteTrainingStatus | undefined> {
  const jobId = (record.checkpoint as { job_id?: unknown } | undefined)?.job_id;
  if (typeof jobId !== "string") return undefined;
  const call = makeRemoteCall({ stage: "train", ...options, emit: () => {} });
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

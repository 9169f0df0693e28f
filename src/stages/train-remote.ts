import type { Clock } from "../core/clock.js";
import type { LockfileStore } from "../engine/lockfile/store.js";
import type { StageError, StageRecord } from "../engine/stage.js";
import { toStageError } from "../providers/errors.js";
import type { Provider, ProviderIdentity } from "../providers/provider.js";
import { makeRedactor } from "../providers/redact.js";
import { makeRemoteCall, type RemoteCallContext } from "../providers/remote-call.js";
import { cancel, type JobDescription, type JobPhase } from "../providers/remote-job.js";
import { batchJobs } from "../providers/remote-jobs/batch.js";
import { checkpointOf } from "../engine/stage-io.js";

/** `cancel` and `status` on the remote work the train and evaluate stages recorded, through the remote-job owner. */

/** The job id and provider the train record names, if any. */
export function recordedJob(
  record: StageRecord | undefined,
): { jobId: string; provider?: ProviderIdentity } | undefined {
  const checkpoint = checkpointOf("train", record);
  if (!checkpoint.job_id) return undefined;
  return { jobId: checkpoint.job_id, ...(checkpoint.provider ? { provider: checkpoint.provider } : {}) };
}

type CallEnv = Pick<RemoteCallContext, "signal" | "env" | "clock" | "pipeline">;

function callFor(opts: CallEnv, stage: "train" | "evaluate" = "train") {
  return makeRemoteCall({ ...opts, stage, emit: () => {} });
}

export type CancelAnswer = { ok: true; phase: JobPhase; status: string } | { ok: false; error: StageError };

/** Cancels the recorded job; a job that had already ended says how it ended instead. */
export function cancelTrainingJob(provider: Provider, jobId: string, opts: CallEnv): Promise<CancelAnswer> {
  return answered(opts, () => provider.training.cancel(callFor(opts), jobId));
}

/** Cancels one of evaluate's recorded batches, the same way. */
export function cancelBatch(provider: Provider, batchId: string, opts: CallEnv): Promise<CancelAnswer> {
  const kind = batchJobs(provider.client);
  return answered(opts, async () => {
    const batch = await cancel(kind, callFor(opts, "evaluate"), batchId);
    return { phase: kind.phase(batch), status: kind.status(batch) };
  });
}

/** The provider's refusal as a value; anything else unexpected propagates. */
async function answered(
  opts: CallEnv,
  send: () => Promise<{ phase: JobPhase; status: string }>,
): Promise<CancelAnswer> {
  try {
    return { ok: true, ...(await send()) };
  } catch (err) {
    const error = toStageError(err, makeRedactor(opts.env, opts.pipeline.config), opts.clock.now());
    if (error.code === "internal") throw err;
    return { ok: false, error };
  }
}

/** Where the recorded job is, for `status` (two requests). */
export async function describeTrainingJob(
  provider: Provider,
  jobId: string,
  opts: CallEnv,
): Promise<JobDescription & { fine_tuned_model: string | null }> {
  return provider.training.describe(callFor(opts), jobId);
}

/**
 * Records the cancellation, when the train record still names this job as running (a run that was following the
 * job may have recorded it first). Call under the run lock.
 */
export async function recordCancelled(store: LockfileStore, jobId: string, clock: Clock): Promise<"recorded" | string> {
  const current = store.record("train");
  if (current?.status !== "running" || recordedJob(current)?.jobId !== jobId) return current?.status ?? "absent";
  await store.putStage("train", {
    ...current,
    status: "cancelled",
    error: { code: "cancelled", message: `the fine-tuning job ${jobId} was cancelled with tunefile cancel` },
    finished_at: clock.now().toISOString(),
  });
  return "recorded";
}

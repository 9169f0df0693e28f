import { BadRequestError } from "openai";
import type { FineTuningJob } from "openai/resources/fine-tuning/jobs/jobs";
import { acquireLock, runLockPath } from "../core/lock.js";
import { toStageError } from "../providers/errors.js";
import { TERMINAL_STATUSES } from "../providers/jobs.js";
import { makeRedactor } from "../providers/redact.js";
import { makeRemoteCall } from "../providers/remote-call.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, writeLine } from "./io.js";
import { openRecordedJob, reopen } from "./watch.js";

/**
 * `tunefile cancel <pipeline>`: cancels the recorded training job at the provider and records the train stage as
 * `cancelled`, so the next `run` starts a new job. When another tunefile process is watching the job, that process
 * sees the cancellation on its next poll and records it itself. Exit 0 once the job is cancelled (or had already
 * ended), 1 when the provider refused, 2 for an invalid pipeline or provider.
 */
export default async function cancel(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const opened = await openRecordedJob("cancel", args, io);
  if (typeof opened === "number") return opened;
  const { session, pipeline, record, jobId, provider } = opened;
  if (record.status !== "running") {
    writeLine(io.stderr, `tunefile cancel: train is ${record.status} (job ${jobId}); nothing to cancel`);
    return record.status === "cancelled" ? EXIT.ok : EXIT.failure;
  }
  const redact = makeRedactor(io.env);
  const call = makeRemoteCall({ stage: "train", signal: io.signal, clock: systemClock, redact, emit: () => {} });
  let job: FineTuningJob;
  try {
    const client = (await provider.get()).client;
    try {
      job = await call("fine_tuning.jobs.cancel", (signal) => client.fineTuning.jobs.cancel(jobId, { signal }));
    } catch (err) {
      // A job that ended meanwhile cannot be cancelled (400); what matters is how it ended.
      if (!(err instanceof BadRequestError)) throw err;
      job = await call("fine_tuning.jobs.retrieve", (signal) => client.fineTuning.jobs.retrieve(jobId, { signal }));
      if (!TERMINAL_STATUSES.has(job.status)) throw err;
    }
  } catch (err) {
    const error = toStageError(err, redact, systemClock.now());
    writeLine(io.stderr, `tunefile cancel: could not cancel ${jobId}: ${error.code}: ${error.message}`);
    return EXIT.failure;
  } finally {
    await provider.close();
  }

  const status: string = job.status;
  if (status !== "cancelled") {
    writeLine(io.stdout, `job ${jobId} had already ended (${status}); \`tunefile watch\` records its result`);
    return EXIT.ok;
  }
  const lock = await acquireLock(runLockPath(pipeline.paths.lockfile), systemClock.now());
  if (!lock.ok && lock.reason === "unwritable") {
    writeLine(io.stderr, `cancelled ${jobId}, but could not record it: cannot take the run lock: ${lock.message}`);
    return EXIT.failure;
  }
  if (!lock.ok) {
    writeLine(io.stdout, `cancelled ${jobId}; the running tunefile records it on its next poll: ${lock.message}`);
    return EXIT.ok;
  }
  try {
    // Read again under the lock: a run that held it may have recorded the stage meanwhile.
    const store = await reopen(session);
    const current = store.record("train");
    if (current?.status !== "running") {
      writeLine(io.stdout, `cancelled ${jobId}; train was already recorded as ${current?.status ?? "absent"}`);
      return EXIT.ok;
    }
    await store.putStage("train", {
      ...current,
      status: "cancelled",
      error: { code: "cancelled", message: `the fine-tuning job ${jobId} was cancelled with tunefile cancel` },
      finished_at: systemClock.now().toISOString(),
    });
  } finally {
    await lock.lock.release();
  }
  writeLine(io.stdout, `cancelled ${jobId}; train is recorded as cancelled (the next run starts a new job)`);
  return EXIT.ok;
}

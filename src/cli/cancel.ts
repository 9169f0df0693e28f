import { systemClock } from "../core/clock.js";
import { withRunLock } from "../engine/run-lock.js";
import { openStore } from "../engine/session.js";
import type { Session } from "../engine/session.js";
import { cancelBatch, cancelTrainingJob, recordCancelled } from "../stages/train-remote.js";
import { type CliIo, EXIT, writeLine } from "./io.js";
import type { SessionArgs } from "./open-session.js";
import { openRecordedWork } from "./recorded-job.js";

/**
 * `tunefile cancel <pipeline>`: cancels the recorded training job at the provider and records the train stage as
 * `cancelled`, so the next `run` starts a new job. When another tunefile process is following the job, that
 * process sees the cancellation on its next poll and records it itself. With no training job running, evaluate's
 * recorded batches are cancelled instead. Exit 0 once the job is cancelled (or had already ended), 1 when the
 * provider refused, 2 for an invalid pipeline or provider.
 */
export default async function cancel(args: SessionArgs, io: CliIo): Promise<number> {
  const opened = await openRecordedWork("cancel", args, io, ["train", "evaluate"]);
  if (typeof opened === "number") return opened;
  const { session, record } = opened;
  if (opened.stage === "evaluate") return cancelBatches(opened.session, opened.ids, io);
  const jobId = opened.ids[0]!;
  if (record.status !== "running") {
    writeLine(io.stderr, `tunefile cancel: train is ${record.status} (job ${jobId}); nothing to cancel`);
    return record.status === "cancelled" ? EXIT.ok : EXIT.failure;
  }
  const provider = await session.provider.connect();
  const options = { signal: io.signal, env: io.env, clock: systemClock, pipeline: session.pipeline };
  const answer = await cancelTrainingJob(provider, jobId, options).finally(() => provider.close());
  if (!answer.ok) {
    writeLine(io.stderr, `tunefile cancel: could not cancel ${jobId}: ${answer.error.code}: ${answer.error.message}`);
    return EXIT.failure;
  }
  if (answer.phase === "succeeded" || answer.phase === "failed") {
    writeLine(io.stdout, `job ${jobId} had already ended (${answer.status}); \`tunefile watch\` records its result`);
    return EXIT.ok;
  }
  // Still active after the cancel: asked to stop at its next step (Together's cancel_requested). It is over for
  // tunefile either way: recorded as cancelled, never resumed or adopted again.
  const what = answer.phase === "cancelled" ? `cancelled ${jobId}` : `cancel requested for ${jobId} (${answer.status})`;
  const locked = await withRunLock(session.pipeline.paths, systemClock, async () => {
    const store = await openStore(session);
    return store.ok ? recordCancelled(store.store, jobId, systemClock) : "unreadable";
  });
  if (!locked.ok) {
    writeLine(
      locked.held ? io.stdout : io.stderr,
      locked.held
        ? `${what}; the running tunefile records it on its next poll: ${locked.message}`
        : `${what}, but could not record it: ${locked.message}`,
    );
    return locked.held ? EXIT.ok : EXIT.failure;
  }
  writeLine(
    io.stdout,
    locked.value === "recorded"
      ? `${what}; train is recorded as cancelled (the next run starts a new job)`
      : `${what}; train was already recorded as ${locked.value}`,
  );
  return EXIT.ok;
}

/**
 * Evaluation batches: each is cancelled at the provider. The stage stays `running`: what the batches answered before
 * they stopped is billed, and the next run reads it and asks the rest again.
 */
async function cancelBatches(session: Session, ids: readonly string[], io: CliIo): Promise<number> {
  const provider = await session.provider.connect();
  const options = { signal: io.signal, env: io.env, clock: systemClock, pipeline: session.pipeline };
  let refused = false;
  try {
    for (const id of ids) {
      const answer = await cancelBatch(provider, id, options);
      if (!answer.ok) refused = true;
      writeLine(
        answer.ok ? io.stdout : io.stderr,
        !answer.ok
          ? `tunefile cancel: could not cancel ${id}: ${answer.error.code}: ${answer.error.message}`
          : answer.phase === "active"
            ? `cancel requested for ${id} (${answer.status})`
            : `${id}: ${answer.status}`,
      );
    }
  } finally {
    await provider.close();
  }
  writeLine(io.stdout, "evaluate stays running: the next run keeps what the batches answered and asks the rest again");
  return refused ? EXIT.failure : EXIT.ok;
}

import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { acquireLock, runLockPath } from "../core/lock.js";
import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { buildContext, LazyProvider } from "../engine/context.js";
import type { RunEvent } from "../engine/events.js";
import type { LockfileStore } from "../engine/lockfile/store.js";
import { JsonReporter } from "../engine/reporters/json.js";
import { ListrReporter } from "../engine/reporters/listr.js";
import { PlainReporter } from "../engine/reporters/plain.js";
import type { Reporter } from "../engine/reporters/reporter.js";
import { openStore, type Session } from "../engine/session.js";
import type { StageName, StageOutcome, StageRecord } from "../engine/stage.js";
import { toStageError } from "../providers/errors.js";
import type { ProviderIdentity } from "../providers/provider.js";
import { makeRedactor } from "../providers/redact.js";
import { followJob, remoteCallFor, type TrainCheckpoint } from "../stages/train.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, writeLine } from "./io.js";
import { LOCAL_JOB_STOPS } from "./local-jobs.js";
import { openSessionFromArgs } from "./open-session.js";

/** A pipeline whose train stage names a remote job, with the provider that job lives on. */
export interface RecordedJob {
  session: Session;
  pipeline: LoadedPipeline;
  record: StageRecord;
  jobId: string;
  provider: LazyProvider;
}

/**
 * Loads the pipeline and lockfile and resolves the provider of the recorded train job (the explanation line goes
 * to stderr). Prints what went wrong and returns the exit code when there is nothing to act on.
 */
export async function openRecordedJob(
  command: "watch" | "cancel",
  args: Record<string, unknown>,
  io: CliIo,
): Promise<RecordedJob | number> {
  const color = wantsColor(io.env, io.isTTY);
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  const { pipeline, provider: choice } = session;
  writeLine(io.stderr, choice.explanation);
  const opened = await openStore(session);
  if (!opened.ok) {
    io.stderr.write(renderDiagnostics(opened.diagnostics, session.sources, { color }));
    return EXIT.invalid;
  }
  const record = opened.store.record("train");
  const checkpoint = (record?.checkpoint ?? {}) as TrainCheckpoint;
  if (!record || !checkpoint.job_id) {
    writeLine(
      io.stderr,
      `tunefile ${command}: no training job is recorded for ${pipeline.config.name}; \`tunefile run ${pipeline.paths.displayFile}\` starts one`,
    );
    return EXIT.failure;
  }
  if (checkpoint.provider && !sameProvider(checkpoint.provider, choice.identity)) {
    writeLine(
      io.stderr,
      `tunefile ${command}: job ${checkpoint.job_id} was created on ${checkpoint.provider.kind} (${checkpoint.provider.base_url}), not on ${choice.identity.kind} (${choice.identity.base_url}); choose that provider with --provider`,
    );
    return EXIT.invalid;
  }
  return {
    session,
    pipeline,
    record,
    jobId: checkpoint.job_id,
    provider: new LazyProvider({ identity: choice.identity, connect: choice.connect }),
  };
}

/**
 * `tunefile watch <pipeline>`: re-attaches to the recorded training job (after `run --detach`, Ctrl+C or a crash),
 * shows its progress to the end and records the outcome in the lockfile, as `run` would have. Ctrl+C stops
 * watching and leaves the job running. Exit 0 when the job succeeded, 1 when it failed or was cancelled.
 */
export default async function watch(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const opened = await openRecordedJob("watch", args, io);
  if (typeof opened === "number") return opened;
  const { session, pipeline, record, jobId, provider } = opened;
  if (record.status !== "running") {
    return reportSettled(io, record, jobId);
  }
  const lock = await acquireLock(runLockPath(pipeline.paths.lockfile), systemClock.now());
  if (!lock.ok) {
    writeLine(
      io.stderr,
      lock.reason === "unwritable"
        ? `tunefile watch: cannot take the run lock: ${lock.message}`
        : `tunefile watch: ${pipeline.paths.displayFile} is already running: ${lock.message}`,
    );
    return EXIT.failure;
  }
  const reporter = reporterFor(args, io);
  const emit = (e: RunEvent) => reporter.event(e);
  try {
    // Read again under the lock: a run that held it may have finished the stage meanwhile.
    const store = await reopen(session);
    const current = store.record("train");
    if (current?.status !== "running" || (current.checkpoint as TrainCheckpoint).job_id !== jobId) {
      return current ? reportSettled(io, current, jobId) : EXIT.failure;
    }
    const ctx = buildContext({
      stage: "train",
      pipeline,
      env: io.env,
      clock: systemClock,
      signal: io.signal,
      options: { detach: false, force: false },
      provider,
      store,
      fingerprint: current.fingerprint,
      upstream: upstreamOf(store),
      previous: current,
      emit,
    });
    emit({ type: "stage-start", stage: "train", action: "resume" });
    let outcome: StageOutcome;
    try {
      outcome = await followJob(ctx, await provider.get(), remoteCallFor(ctx), jobId);
    } catch (err) {
      if (!io.signal.aborted) {
        // The job may be fine; only our connection to it failed. The record stays as it is.
        const error = toStageError(err, makeRedactor(io.env), systemClock.now());
        if (error.code === "internal") throw err;
        emit({ type: "stage-end", stage: "train", status: "running", summary: `lost track of ${jobId}` });
        emit({ type: "run-end", exitCode: EXIT.failure, message: `watch stopped: ${error.code}: ${error.message}` });
        return EXIT.failure;
      }
      const message =
        session.provider.identity.kind === "local"
          ? `stopped watching ${jobId}; ${LOCAL_JOB_STOPS}`
          : `stopped watching; job ${jobId} keeps running (\`tunefile watch\` again to re-attach)`;
      emit({ type: "stage-end", stage: "train", status: "running", summary: message });
      return EXIT.interrupted;
    }
    const exitCode = await recordOutcome(store, outcome, emit);
    emit({ type: "run-end", exitCode, message: endMessage(outcome) });
    return exitCode;
  } finally {
    await reporter.close();
    await provider.close();
    await lock.lock.release();
  }
}

/** The same displays as `run`: a live task list on a terminal, plain lines otherwise, NDJSON with --json. */
function reporterFor(args: Record<string, unknown>, io: CliIo): Reporter {
  if (args.json === true) return new JsonReporter(io.stdout);
  return io.isTTY ? new ListrReporter({ stdout: io.stdout, stderr: io.stderr }) : new PlainReporter(io.stdout);
}

function endMessage(outcome: StageOutcome): string {
  switch (outcome.kind) {
    case "succeeded":
      return `train succeeded: ${String(outcome.outputs.fine_tuned_model)}`;
    case "failed":
    case "cancelled":
      return `train ${outcome.kind}: ${outcome.error.code}: ${outcome.error.message}`;
    case "detached":
      return outcome.message;
    default: {
      const unknown: never = outcome;
      throw new Error(`internal error, please report: unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** Writes the stage's outcome as the executor does, and says how it ended. */
async function recordOutcome(
  store: LockfileStore,
  outcome: StageOutcome,
  emit: (e: RunEvent) => void,
): Promise<number> {
  const current = store.record("train");
  if (!current) throw new Error("internal error, please report: the train record disappeared while watching");
  const finished_at = systemClock.now().toISOString();
  switch (outcome.kind) {
    case "succeeded": {
      const { error: _dropped, ...rest } = current;
      await store.putStage("train", { ...rest, status: "succeeded", outputs: outcome.outputs, finished_at });
      emit({ type: "stage-end", stage: "train", status: "succeeded" });
      return EXIT.ok;
    }
    case "failed":
    case "cancelled": {
      await store.putStage("train", { ...current, status: outcome.kind, error: outcome.error, finished_at });
      emit({ type: "stage-end", stage: "train", status: outcome.kind, error: outcome.error });
      return EXIT.failure;
    }
    case "detached":
      throw new Error("internal error, please report: watch never detaches");
    default: {
      const unknown: never = outcome;
      throw new Error(`internal error, please report: unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** A train stage that already ended: say how, without any request. */
function reportSettled(io: CliIo, record: StageRecord, jobId: string): number {
  if (record.status === "succeeded") {
    writeLine(io.stdout, `train succeeded: ${String(record.outputs?.fine_tuned_model)} (job ${jobId})`);
    return EXIT.ok;
  }
  const why = record.error ? `: ${record.error.code}: ${record.error.message}` : "";
  writeLine(io.stderr, `tunefile watch: train is ${record.status} (job ${jobId})${why}`);
  return EXIT.failure;
}

/** The lockfile as it is on disk now. */
export async function reopen(session: Session): Promise<LockfileStore> {
  const opened = await openStore(session);
  if (!opened.ok) {
    throw new Error(`internal error, please report: the lockfile became unreadable: ${opened.diagnostics[0]?.message}`);
  }
  return opened.store;
}

function upstreamOf(store: LockfileStore): Partial<Record<StageName, StageRecord>> {
  const stages = store.snapshot().stages;
  return {
    ...(stages.prepare ? { prepare: stages.prepare } : {}),
    ...(stages.upload ? { upload: stages.upload } : {}),
  };
}

function sameProvider(a: ProviderIdentity, b: ProviderIdentity): boolean {
  return a.kind === b.kind && a.base_url === b.base_url;
}

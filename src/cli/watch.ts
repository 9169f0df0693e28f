import { loadPipeline } from "../config/load-pipeline.js";
import type { LoadedPipeline } from "../config/loaded-pipeline.js";
import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { buildContext, LazyProvider } from "../engine/context.js";
import type { RunEvent } from "../engine/events.js";
import { LockfileStore } from "../engine/lockfile/store.js";
import { acquireRunLock } from "../engine/run-lock.js";
import type { StageName, StageOutcome, StageRecord } from "../engine/stage.js";
import type { ProviderIdentity } from "../providers/provider.js";
import { resolveProvider } from "../providers/resolve.js";
import { followJob, remoteCallFor, type TrainCheckpoint } from "../stages/train.js";
import { systemClock } from "../util/clock.js";
import { type CliIo, EXIT, writeLine } from "./io.js";

/** A pipeline whose train stage names a remote job, with the provider that job lives on. */
export interface RecordedJob {
  pipeline: LoadedPipeline;
  store: LockfileStore;
  record: StageRecord;
  jobId: string;
  provider: LazyProvider;
}

/**
 * Loads the pipeline and lockfile and resolves the provider of the recorded train job. Prints what went wrong and
 * returns the exit code when there is nothing to act on.
 */
export async function openRecordedJob(
  command: "watch" | "cancel",
  args: Record<string, unknown>,
  io: CliIo,
): Promise<RecordedJob | number> {
  const file = String((args._ as string[])[0]);
  const loaded = await loadPipeline(file, { cwd: io.cwd, env: io.env });
  if (!loaded.ok) {
    io.stderr.write(renderDiagnostics(loaded.diagnostics, loaded.sources, { color: wantsColor(io.env, io.isTTY) }));
    return EXIT.invalid;
  }
  const pipeline = loaded.pipeline;
  const opened = await LockfileStore.open(pipeline.paths.lockfile, pipeline.paths.displayFile, pipeline.config.name);
  if (!opened.ok) {
    io.stderr.write(renderDiagnostics(opened.diagnostics, new Map(), { color: wantsColor(io.env, io.isTTY) }));
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
  const flag = typeof args.provider === "string" ? args.provider : undefined;
  const choice = resolveProvider({
    config: pipeline.config,
    env: io.env,
    root: pipeline.paths.root,
    pipelineDir: pipeline.paths.dir,
    ...(flag ? { flag } : {}),
  });
  if (!choice.ok) {
    io.stderr.write(renderDiagnostics(choice.diagnostics, new Map(), { color: wantsColor(io.env, io.isTTY) }));
    return EXIT.invalid;
  }
  writeLine(io.stderr, choice.explanation);
  if (checkpoint.provider && !sameProvider(checkpoint.provider, choice.identity)) {
    writeLine(
      io.stderr,
      `tunefile ${command}: job ${checkpoint.job_id} was created on ${checkpoint.provider.kind} (${checkpoint.provider.base_url}), not on ${choice.identity.kind} (${choice.identity.base_url}); choose that provider with --provider`,
    );
    return EXIT.invalid;
  }
  return {
    pipeline,
    store: opened.store,
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
  const { pipeline, record, jobId, provider } = opened;
  if (record.status !== "running") {
    return reportSettled(io, record, jobId);
  }
  const lock = await acquireRunLock(pipeline.paths.lockfile, systemClock.now());
  if (!lock.ok) {
    writeLine(io.stderr, `tunefile watch: ${pipeline.paths.displayFile} is ${lock.message}; watch that run instead`);
    return EXIT.failure;
  }
  const emit = eventPrinter(io, args.json === true);
  try {
    // Read again under the lock: a run that held it may have finished the stage meanwhile.
    const store = await reopen(pipeline);
    const record = store.record("train");
    if (record?.status !== "running" || (record.checkpoint as TrainCheckpoint).job_id !== jobId) {
      return record ? reportSettled(io, record, jobId) : EXIT.failure;
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
      fingerprint: record.fingerprint,
      upstream: upstreamOf(store),
      previous: record,
      emit,
    });
    emit({ type: "stage-start", stage: "train", action: "resume" });
    let outcome: StageOutcome;
    try {
      outcome = await followJob(ctx, await provider.get(), remoteCallFor(ctx), jobId);
    } catch (err) {
      if (!io.signal.aborted) throw err;
      writeLine(io.stderr, `stopped watching; job ${jobId} keeps running (\`tunefile watch\` again to re-attach)`);
      return EXIT.interrupted;
    }
    return await recordOutcome(io, store, outcome, emit);
  } finally {
    await provider.close();
    await lock.lock.release();
  }
}

/** Writes the stage's outcome as the executor does, and says how it ended. */
async function recordOutcome(
  io: CliIo,
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
      writeLine(io.stdout, `train succeeded: ${String(outcome.outputs.fine_tuned_model)}`);
      return EXIT.ok;
    }
    case "failed":
    case "cancelled": {
      await store.putStage("train", { ...current, status: outcome.kind, error: outcome.error, finished_at });
      emit({ type: "stage-end", stage: "train", status: outcome.kind, error: outcome.error });
      writeLine(io.stderr, `train ${outcome.kind}: ${outcome.error.code}: ${outcome.error.message}`);
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
export async function reopen(pipeline: LoadedPipeline): Promise<LockfileStore> {
  const opened = await LockfileStore.open(pipeline.paths.lockfile, pipeline.paths.displayFile, pipeline.config.name);
  if (!opened.ok)
    throw new Error(`internal error, please report: the lockfile became unreadable: ${opened.diagnostics[0]?.message}`);
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

/** Plain lines on stderr (NDJSON on stdout with --json) until the engine's reporters are wired in here. */
function eventPrinter(io: CliIo, json: boolean): (event: RunEvent) => void {
  return (event) => {
    if (json) {
      io.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    switch (event.type) {
      case "stage-progress":
        writeLine(io.stderr, `train: ${event.message}`);
        return;
      case "stage-log":
        writeLine(io.stderr, `train: ${event.message}`);
        return;
      case "retry":
        writeLine(io.stderr, `train: retrying in ${(event.delayMs / 1000).toFixed(1)}s (${event.reason})`);
        return;
      case "stage-start":
        writeLine(io.stderr, "train: re-attached");
        return;
      default:
        return;
    }
  };
}

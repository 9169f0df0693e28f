import type { StageContext, StageDefinition, StageOutcome } from "../engine/stage.js";
import { type Provider, sameProvider } from "../providers/provider.js";
import { makeRemoteCall, outageHooks, providerFailure, type RemoteCall } from "../providers/remote-call.js";
import { describeProgress, type JobTag } from "../providers/remote-job.js";
import { fineTuningLifecycle } from "../core/catalog/lifecycle.js";
import type { JobRef } from "../providers/training/api.js";
import { trainingSpec } from "../providers/training/spec.js";
import { checkpointOf, outputsOf, type TrainOutputs } from "../engine/stage-io.js";
import { trainingEstimate } from "../engine/budget.js";
import { DEPLOYMENT_HINT, missingEvaluationDeployments } from "./azure-preflight.js";
import { logLine } from "./log.js";
import { canonicalSha256 } from "../core/canonical-json.js";

/**
 * The train stage: creates the fine-tuning job once across crashes and retries (adopting one tagged with this
 * pipeline and fingerprint first), then watches it to the end and records the model.
 */
export const trainStage: StageDefinition<TrainOutputs> = {
  name: "train",
  version: 1,
  usesProvider: true,
  // training.fine_tuned_model: evaluation uses that model and nothing is trained.
  enabled: (pipeline) => !pipeline.config.training?.fine_tuned_model,
  fingerprintInput: async (pipeline) => {
    const t = pipeline.config.training ?? {};
    // poll_seconds changes how we watch, not what is trained, so it stays out.
    return {
      config: {
        model: pipeline.config.model,
        method: t.method ?? "supervised",
        hyperparameters: t.hyperparameters ?? {},
        suffix: t.suffix ?? null,
        seed: t.seed ?? null,
        // An adapter or the full weights, and its rank, are what gets trained. Added only when set, so that the
        // fingerprints of pipelines without it (every one recorded before it was added) stay the same.
        ...(t.lora !== undefined ? { lora: t.lora } : {}),
      },
    };
  },
  run: (ctx) => train(ctx).catch((err) => ({ kind: "failed", error: providerFailure(err, ctx) })),
};

async function train(ctx: StageContext): Promise<StageOutcome<TrainOutputs>> {
  const provider = await ctx.provider();
  const call = makeRemoteCall(ctx);
  const upload = outputsOf("upload", ctx.upstream.upload);
  if (!upload?.train_file_id) {
    return { kind: "failed", error: { code: "no-uploaded-data", message: "upload recorded no training file id" } };
  }
  const checkpoint = checkpointOf("train", ctx.previous);
  const superseded = supersededJobs(ctx);
  await ctx.saveCheckpoint({ provider: provider.identity, ...(superseded.length > 0 ? { superseded } : {}) });

  // An earlier attempt's job (same fingerprint, same provider) is followed again while it can still succeed.
  const ours = sameAttempt(ctx) && sameProvider(checkpoint.provider, provider.identity);
  const recorded = ours ? checkpoint.job_id : undefined;
  const resumable =
    recorded && !superseded.includes(recorded) ? await provider.training.resumable(call, recorded) : undefined;
  const spec = trainingSpec(ctx.pipeline, upload.train_file_id, upload.validation_file_id);
  const specHash = canonicalSha256({ spec, provider: provider.identity });
  const same = recorded ? undefined : sameJob(ctx, specHash);
  if (same) {
    logLine(ctx, `reusing ${same.job_id}: it trained on the same files with the same settings (--force trains again)`);
    await ctx.saveCheckpoint({ job_id: same.job_id, spec_sha256: specHash });
    return { kind: "succeeded", outputs: same };
  }
  let job: JobRef;
  if (resumable) {
    job = resumable;
    logLine(ctx, `re-attached to ${job.id} (${job.status})`);
  } else {
    const tag: JobTag = {
      tunefile_pipeline: ctx.pipeline.config.name,
      tunefile_stage: "train",
      tunefile_fingerprint: ctx.fingerprint,
    };
    // After OpenAI's cutoff no new job can be made there: say why and how to switch, before any request. Only for
    // OpenAI's own API: a proxy or a stand-in at another base URL decides for itself.
    const lifecycle = fineTuningLifecycle(provider.identity.kind, ctx.clock.now());
    if (lifecycle.kind === "closed" && isOpenAIItself(provider.identity.base_url)) {
      return { kind: "failed", error: { code: "provider-closed", message: lifecycle.message } };
    }
    // The first intent on record for this fingerprint (a crashed run's, or this run's first create).
    let intentAt = sameAttempt(ctx) && checkpoint.intent === "create" ? checkpoint.at : undefined;
    if (intentAt === undefined) {
      const missing = await missingEvaluationDeployments(ctx.pipeline.config, provider, call);
      if (missing.length > 0) {
        const message = `the evaluation would ask Azure deployments it does not have: ${missing.join(", ")}; no training job was created (${DEPLOYMENT_HINT})`;
        return { kind: "failed", error: { code: "azure-deployment-missing", message } };
      }
    }
    const result = await provider.training.createOrAdopt(
      call,
      { tag, exclude: superseded, spec, ...(intentAt ? { untaggedSince: unixSeconds(intentAt) } : {}) },
      async () => {
        intentAt ??= ctx.clock.now().toISOString();
        await ctx.saveCheckpoint({ intent: "create", at: intentAt });
        return unixSeconds(intentAt);
      },
    );
    job = result.job;
    await ctx.saveCheckpoint({ job_id: job.id, adopted: result.adopted, spec_sha256: specHash });
    // A created job is announced by the provider's own first event ("Created fine-tuning job: …") and, with
    // --detach, by the detach message: a line of our own here would say it twice.
    if (result.adopted) logLine(ctx, `adopted ${job.id}, created earlier for this fingerprint`);
  }
  if (ctx.options.detach) {
    return {
      kind: "detached",
      message: `job ${job.id} is ${job.status}; \`tunefile watch\` re-attaches, \`tunefile status\` shows progress`,
    };
  }
  return followJob(ctx, provider, call, job.id);
}

/** Follows a job to its end and turns it into the stage's outcome. An abort (Ctrl+C) rejects and leaves the job running. */
async function followJob(
  ctx: StageContext,
  provider: Provider,
  call: RemoteCall,
  jobId: string,
): Promise<StageOutcome<TrainOutputs>> {
  const checkpoint = checkpointOf("train", ctx.previous);
  const shown = checkpoint.job_id === jobId ? checkpoint.last_event : undefined;
  // Each shown event is recorded (in order, one write at a time) so that a re-attach after Ctrl+C does not repeat it.
  let saving: Promise<void> = Promise.resolve();
  try {
    return await provider.training.followToEnd(
      jobId,
      {
        call,
        clock: ctx.clock,
        signal: ctx.signal,
        maxPollMs: (ctx.pipeline.config.training?.poll_seconds ?? 10) * 1000,
        ...(shown ? { after: shown } : {}),
        onEvent: (event) => {
          if (event.progress) return; // metrics are shown as progress instead
          logLine(ctx, event.message, event.level);
          const mark = { id: event.id, created_at: event.created_at };
          saving = saving.then(() => ctx.saveCheckpoint({ last_event: mark }));
        },
        ...outageHooks(ctx, jobId),
        onProgress: (p) => {
          const { status: _status, ...numbers } = p; // step, totalSteps, loss, etaSeconds: only those known
          ctx.emit({ type: "stage-progress", stage: "train", message: describeProgress(p), ...numbers });
        },
      },
      {
        workDir: ctx.pipeline.paths.workDir,
        root: ctx.pipeline.paths.root,
        // prepare's estimate at today's prices, recorded beside the actual cost (absent without a known price).
        estimatedUsd: trainingEstimate(ctx.pipeline, ctx.upstream.prepare),
        prices: ctx.pipeline.config.prices,
      },
    );
  } finally {
    await saving;
  }
}

/**
 * The succeeded job on record when this run would send it exactly the same request: prepare and upload ran again
 * (the data files were renamed, a transform that changed nothing was added, a stage's version moved) and gave the
 * very same uploaded files. Its model is this stage's result; a new job would be paid for twice.
 */
function sameJob(ctx: StageContext, specHash: string): TrainOutputs | undefined {
  const previous = ctx.previous;
  if (ctx.options.force || previous?.status !== "succeeded") return undefined;
  if (checkpointOf("train", previous).spec_sha256 !== specHash) return undefined;
  return outputsOf("train", previous);
}

/** Whether the previous record is an earlier attempt at this very stage (same fingerprint), so its ids apply. */
function sameAttempt(ctx: StageContext): boolean {
  return ctx.previous?.fingerprint === ctx.fingerprint;
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** --force on a succeeded stage trains again: the jobs it replaces must not be adopted. */
function supersededJobs(ctx: StageContext): string[] {
  const previous = ctx.previous;
  const checkpoint = checkpointOf("train", previous);
  const carried = sameAttempt(ctx) ? (checkpoint.superseded ?? []) : [];
  const done = previous?.status === "succeeded" ? outputsOf("train", previous)?.job_id : undefined;
  // A job recorded as cancelled may still be stopping (Together's cancel_requested): never resumed nor adopted.
  const cancelled = previous?.status === "cancelled" ? checkpoint.job_id : undefined;
  const replaced = [done && ctx.options.force ? done : undefined, cancelled].filter((id) => id !== undefined);
  return [...new Set([...carried, ...replaced])];
}

function isOpenAIItself(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

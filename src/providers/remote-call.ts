import type { RunEvent } from "../engine/events.js";
import { withRetry } from "../core/retry.js";
import type { StageError, StageName } from "../engine/stage-record.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { classifyError, toStageError } from "./errors.js";
import { makeRedactor } from "./redact.js";

/** What a remote call needs from its surroundings (a stage's context has it all). */
export interface RemoteCallContext {
  stage: StageName;
  signal: AbortSignal;
  clock: Clock;
  /** Secrets in it are redacted from every message (see makeRedactor, which also reads the pipeline). */
  env: Env;
  pipeline: Pick<LoadedPipeline, "config">;
  emit(event: RunEvent): void;
}

/**
 * Runs one remote call under the retry owner (src/core/retry.ts) with the provider error classes. `fn` gets the
 * signal to hand to the SDK, so Ctrl+C cancels the request in flight; each retry becomes a `retry` event.
 */
export type RemoteCall = <T>(label: string, fn: (signal: AbortSignal, attempt: number) => Promise<T>) => Promise<T>;

export function makeRemoteCall(ctx: RemoteCallContext): RemoteCall {
  const redact = makeRedactor(ctx.env, ctx.pipeline.config);
  return (label, fn) =>
    withRetry((attempt) => withChildSignal(ctx.signal, (signal) => fn(signal, attempt)), {
      signal: ctx.signal,
      clock: ctx.clock,
      // Only transient errors are retried.
      classify: (err) => {
        const cls = classifyError(err, redact, ctx.clock.now());
        return cls.kind === "transient" ? cls : { kind: "permanent" };
      },
      onRetry: (info) =>
        ctx.emit({
          type: "retry",
          stage: ctx.stage,
          attempt: info.attempt,
          delayMs: info.delayMs,
          reason: `${label}: ${info.reason}`,
        }),
    });
}

/**
 * Runs `fn` with a signal that follows `parent` only while `fn` runs: the SDK never removes its abort listener, so
 * the run's own signal would gather one per poll over a job that trains for hours.
 */
async function withChildSignal<T>(parent: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const child = new AbortController();
  const onAbort = () => child.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  try {
    return await fn(child.signal);
  } finally {
    parent.removeEventListener("abort", onAbort);
  }
}

/**
 * A stage's remote work failed: the provider's error, to record as the stage's. An interrupt, and a bug in tunefile
 * (which the engine reports with its stack), are rethrown instead.
 */
export function providerFailure(
  err: unknown,
  ctx: Pick<RemoteCallContext, "signal" | "env" | "clock" | "pipeline">,
): StageError {
  if (ctx.signal.aborted) throw err;
  const error = toStageError(err, makeRedactor(ctx.env, ctx.pipeline.config), ctx.clock.now());
  if (error.code === "internal") throw err;
  return error;
}

/** How a follower waits out an outage of the provider: the job runs on, so transient errors are only reported. */
export function outageHooks(ctx: RemoteCallContext, id: string) {
  const redact = makeRedactor(ctx.env, ctx.pipeline.config);
  return {
    isTransient: (err: unknown) => classifyError(err, redact, ctx.clock.now()).kind === "transient",
    onLostContact: (err: unknown) =>
      ctx.emit({
        type: "stage-log",
        stage: ctx.stage,
        level: "warn",
        message: `lost contact with ${id} (${toStageError(err, redact, ctx.clock.now()).message}); still trying`,
      }),
  };
}

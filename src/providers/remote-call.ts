import type { RunEvent } from "../engine/events.js";
import { type RetryClassification, withRetry } from "../core/retry.js";
import type { StageName } from "../engine/stage-record.js";
import type { Clock } from "../core/clock.js";
import { classifyError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** What a remote call needs from its surroundings: the stage's signal, clock and event sink. */
export interface RemoteCallContext {
  stage: StageName | undefined;
  signal: AbortSignal;
  clock: Clock;
  redact: Redactor;
  emit(event: RunEvent): void;
}

/**
 * Runs one remote call under the retry owner (src/core/retry.ts) with the provider error classes. `fn` gets the
 * signal to hand to the SDK, so Ctrl+C cancels the request in flight; each retry becomes a `retry` event.
 */
export type RemoteCall = <T>(label: string, fn: (signal: AbortSignal, attempt: number) => Promise<T>) => Promise<T>;

export function makeRemoteCall(ctx: RemoteCallContext): RemoteCall {
  const classify = retryClassifier(ctx.redact, ctx.clock);
  return (label, fn) =>
    withRetry((attempt) => withChildSignal(ctx.signal, (signal) => fn(signal, attempt)), {
      signal: ctx.signal,
      clock: ctx.clock,
      classify,
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
 * Runs `fn` with a signal that follows `parent` only while `fn` runs. The SDK adds an abort listener to the signal
 * of every request and never removes it; handing it the run's own signal would pile up one listener per poll over
 * a job that trains for hours.
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

/** The provider's error classes as the retry owner sees them: only transient errors are retried. */
export function retryClassifier(redact: Redactor, clock: Clock): (err: unknown) => RetryClassification {
  return (err) => {
    const cls = classifyError(err, redact, clock.now());
    switch (cls.kind) {
      case "transient":
        return cls.retryAfterMs === undefined
          ? { kind: "transient", reason: cls.reason }
          : { kind: "transient", reason: cls.reason, retryAfterMs: cls.retryAfterMs };
      case "permanent":
      case "aborted":
      case "internal":
        return { kind: "permanent" };
      default:
        return assertNever(cls);
    }
  };
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

import pRetry from "p-retry";
import { type Clock, systemClock } from "./clock.js";

/** How an error should be treated. The classification itself lives with the provider (src/providers/errors.ts). */
export type RetryClassification =
  /** 429, 5xx, connection reset, timeout: wait and try again. `retryAfterMs` comes from a retry-after header. */
  | { kind: "transient"; retryAfterMs?: number; reason: string }
  /** 400, 401, 403, quota exhausted, a failed job: stop at once with the provider's message. */
  | { kind: "permanent" };

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  reason: string;
  error: unknown;
}

export interface RetryOptions {
  /** Aborts the wait and the retries; the promise rejects with the signal's reason. */
  signal: AbortSignal;
  classify: (err: unknown) => RetryClassification;
  /** Told before each wait, e.g. to emit a `retry` event. */
  onRetry?: (info: RetryInfo) => void;
  /** Retries after the first attempt. Default: 6. */
  retries?: number;
  /** First backoff delay. Default: 500 ms. */
  minDelayMs?: number;
  /** Largest backoff delay (a retry-after from the server is honoured even when longer). Default: 30 000 ms. */
  maxDelayMs?: number;
  /** Random numbers in [0, 1) for the jitter. Default: Math.random; tests pass a seeded one. */
  random?: () => number;
  /** Where waiting happens. Default: the system clock; tests pass one that does not really wait. */
  clock?: Clock;
}

/**
 * The one place that retries: every remote call goes through here, and the SDK's own retries are off,
 * so a call is never retried twice over. Transient errors back off exponentially with jitter, or exactly as long as
 * the server's retry-after says; permanent errors are rethrown at once, unchanged.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const { retries = 6, minDelayMs = 500, maxDelayMs = 30_000, random = Math.random, clock = systemClock } = opts;
  opts.signal.throwIfAborted();
  return pRetry(fn, {
    retries,
    // p-retry's own timer is off: the wait happens below, so that it can honour retry-after, use the injected clock
    // and random source, and stop the instant the signal aborts.
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal: opts.signal,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      const original: unknown = error;
      if (opts.signal.aborted) throw opts.signal.reason;
      const verdict = opts.classify(original);
      if (verdict.kind === "permanent") throw original;
      if (retriesLeft <= 0) return; // p-retry rejects with this error next
      const delayMs = verdict.retryAfterMs ?? backoffDelay(attemptNumber, minDelayMs, maxDelayMs, random);
      opts.onRetry?.({ attempt: attemptNumber, delayMs, reason: verdict.reason, error: original });
      await clock.sleep(delayMs, opts.signal);
    },
  });
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random, so clients that failed
 * together do not retry together, yet nobody retries almost at once.
 */
export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number): number {
  const exponential = Math.min(maxDelayMs, minDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, NotFoundError } from "openai";
import { StateDirInUseError } from "../core/state-dir-lock.js";
import type { ProviderErrorCode, StageError } from "../engine/stage-record.js";
import type { Redactor } from "./redact.js";

/** What the retry owner (src/core/retry.ts) does about a failed call: back off on `transient`, else stop. */
export type ErrorClass =
  | {
      kind: "transient";
      /** Short reason for the retry event, e.g. "429 rate limited" or "connection error". Never a secret. */
      reason: string;
      /** The server's retry-after-ms / retry-after, when it sent one. */
      retryAfterMs?: number;
    }
  | { kind: "permanent"; error: StageError }
  /** The run was interrupted (Ctrl+C): not a failure of the remote call. */
  | { kind: "aborted" }
  /** Not an SDK error at all: a bug in tunefile. */
  | { kind: "internal" };

/** 429 codes that no amount of waiting fixes today. */
const PERMANENT_429_CODES = new Set(["insufficient_quota", "daily_rate_limit_exceeded", "exceeded_quota"]);

/** Statuses that mean "try again": the SDK's own list. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Classifies any error thrown by the `openai` SDK. `now` is needed only to read an HTTP-date retry-after. */
export function classifyError(err: unknown, redact: Redactor, now: Date): ErrorClass {
  if (err instanceof APIUserAbortError) return { kind: "aborted" };
  if (err instanceof APIConnectionError) {
    if (err instanceof APIConnectionTimeoutError) return { kind: "transient", reason: "request timed out" };
    const cause = rootCause(err);
    return { kind: "transient", reason: redact(`connection error${cause ? ` (${cause})` : ""}`) };
  }
  if (err instanceof StateDirInUseError) {
    // The local provider's state belongs to a server we cannot reach (e.g. `tunefile serve` on it).
    return { kind: "permanent", error: { code: "local-state-in-use", message: redact(err.message) } };
  }
  if (!(err instanceof APIError) || err.status === undefined) {
    const abortLike = err instanceof Error && (err.name === "AbortError" || err.name === "APIUserAbortError");
    return { kind: abortLike ? "aborted" : "internal" };
  }
  const status = err.status;
  const headers = err.headers;
  const shouldRetry = headers?.get("x-should-retry");
  const code = typeof err.code === "string" ? err.code : undefined;
  const permanent = (): ErrorClass => ({ kind: "permanent", error: apiStageError(err, redact) });

  if (shouldRetry === "false") return permanent();
  if (status === 429 && code && PERMANENT_429_CODES.has(code)) return permanent();
  if (shouldRetry === "true" || isTransientStatus(status)) {
    const retryAfterMs = headers ? parseRetryAfter(headers, now) : undefined;
    const reason = `${status} ${status === 429 ? "rate limited" : "server error"}${code ? ` (${code})` : ""}`;
    return { kind: "transient", reason: redact(reason), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return permanent();
}

/**
 * The delay the server asked for: `retry-after-ms` (milliseconds, may be fractional) wins over `retry-after`
 * (seconds or an HTTP date). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: Date): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const after = headers.get("retry-after");
  if (after === null) return undefined;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/** The provider's code and message for an HTTP error, scrubbed of secrets. */
function apiStageError(err: APIError, redact: Redactor): StageError {
  const body = err.error as { message?: unknown } | undefined;
  const message = typeof body?.message === "string" && body.message ? body.message : err.message;
  const code =
    typeof err.code === "string" && err.code ? providerCode(redact(err.code)) : (`http-${err.status ?? 0}` as const);
  return { code, message: redact(`${err.status} ${message}`.trim()) };
}

/**
 * What fetch's "fetch failed" under the SDK's "Connection error." was: "connect ECONNREFUSED 127.0.0.1:8080",
 * "getaddrinfo ENOTFOUND api.opnai.com". It tells a wrong base URL from an outage, which the SDK's text does not.
 */
function rootCause(err: Error): string | undefined {
  let deepest: Error = err;
  for (let depth = 0; depth < 5 && deepest.cause instanceof Error; depth++) deepest = deepest.cause;
  return deepest === err ? undefined : deepest.message;
}

/**
 * Turns any error of a remote call into the StageError recorded in the lockfile. Transient errors that outlived
 * their retries keep their reason; internal ones say so. Nothing here ever carries a secret.
 */
export function toStageError(err: unknown, redact: Redactor, now: Date): StageError {
  const cls = classifyError(err, redact, now);
  switch (cls.kind) {
    case "permanent":
      return cls.error;
    case "transient": {
      // The SDK's "Connection error." says less than the reason, which carries the cause.
      const detail = err instanceof Error && !(err instanceof APIConnectionError) ? redact(err.message) : cls.reason;
      return { code: "retries-exhausted", message: `gave up after retries: ${detail}` };
    }
    case "aborted":
      return { code: "interrupted", message: "interrupted" };
    case "internal": {
      const text = err instanceof Error ? err.message : String(err);
      return { code: "internal", message: redact(`internal error, please report: ${text}`) };
    }
  }
}

/** The request's answer, or undefined when its object is gone (a 404: deleted, expired, or another account's). */
export function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  return request.catch((err) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
}

/** A code the provider sent, kept as it spells it: the one place a plain string becomes a stage error code. */
export function providerCode(raw: string): ProviderErrorCode {
  return raw as ProviderErrorCode;
}

import { describe, expect, it } from "vitest";
import { backoffDelay, type RetryInfo, withRetry } from "../../src/core/retry.js";
import { fakeClock } from "./fixtures.js";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}

const classify = (err: unknown) =>
  err instanceof HttpError && (err.status === 429 || err.status >= 500)
    ? { kind: "transient" as const, retryAfterMs: err.retryAfterMs, reason: `HTTP ${err.status}` }
    : { kind: "permanent" as const };

/** A seeded sequence, so the jitter is reproducible. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("withRetry", () => {
  it("retries transient errors with jittered exponential backoff, honouring retry-after", async () => {
    const clock = fakeClock();
    const retries: RetryInfo[] = [];
    const failures = [new HttpError(500), new HttpError(429, 7000), new HttpError(503)];
    const attempts: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        attempts.push(attempt);
        const failure = failures.shift();
        if (failure) throw failure;
        return "ok";
      },
      {
        signal: new AbortController().signal,
        classify,
        clock,
        random: seq(0, 0.5, 1),
        minDelayMs: 1000,
        onRetry: (info) => retries.push(info),
      },
    );
    expect(result).toBe("ok");
    expect(attempts).toEqual([1, 2, 3, 4]);
    // attempt 1: 1000 -> 500 + 0*500; attempt 2: retry-after 7000 exactly (no random drawn);
    // attempt 3: 4000 -> 2000 + 0.5*2000.
    expect(clock.slept).toEqual([500, 7000, 3000]);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 7000, "HTTP 429"],
      [3, 3000, "HTTP 503"],
    ]);
  });

  it("stops at once on a permanent error and rethrows it unchanged", async () => {
    const clock = fakeClock();
    const error = new HttpError(400);
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw error;
        },
        { signal: new AbortController().signal, classify, clock },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it("gives up after `retries` retries with the last error", async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new HttpError(502);
        },
        { signal: new AbortController().signal, classify, clock, retries: 2, random: seq(0) },
      ),
    ).rejects.toThrow("HTTP 502");
    expect(calls).toBe(3);
    expect(clock.slept).toEqual([250, 500]);
  });

  it("stops waiting when the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("interrupted by SIGINT");
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new HttpError(500);
        },
        {
          signal: controller.signal,
          classify,
          minDelayMs: 60_000,
          onRetry: () => controller.abort(reason),
        },
      ),
    ).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it("caps the exponential delay at maxDelayMs", () => {
    expect(backoffDelay(20, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 500, 30_000, () => 0)).toBe(15_000);
  });
});

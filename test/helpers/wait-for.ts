/**
 * Polls `check` until it returns a value other than undefined or false, and returns that value. Fails after
 * `timeoutMs` with a message naming `what`, or as soon as `failFast` returns a reason (e.g. the child process being
 * watched has exited). The one poll loop of the tests: every wait has a deadline and says what it waited for.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: {
    what: string;
    timeoutMs?: number;
    intervalMs?: number;
    failFast?: () => string | undefined;
    detail?: () => string;
  },
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    const early = opts.failFast?.();
    if (early !== undefined || Date.now() > deadline) {
      const why = early ?? `timed out after ${timeoutMs} ms`;
      const detail = opts.detail ? `\n${opts.detail()}` : "";
      throw new Error(`${why} waiting for ${opts.what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 10));
  }
}

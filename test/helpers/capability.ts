/**
 * Whether this machine can run the tests that need `what` (a root-only mount, a PID namespace...). `probe` throws
 * when it cannot; the reason is printed before the tests are skipped, so a skip never goes unexplained.
 * Use with `describe.runIf(capable(...))`.
 */
export function capable(what: string, probe: () => void): boolean {
  try {
    probe();
    return true;
  } catch (err) {
    console.warn(`skipping the tests that need ${what}: ${reasonOf(err)}`);
    return false;
  }
}

function reasonOf(err: unknown): string {
  const e = err as { stderr?: Buffer | string; message?: string };
  const stderr = e.stderr?.toString().trim().split("\n")[0];
  return stderr || e.message || String(err);
}

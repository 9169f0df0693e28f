/**
 * The environment, read in exactly one place (src/cli) and passed down explicitly, so no module has a hidden
 * input and tests can hand in whatever environment they need.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Snapshot of process.env. Only src/cli calls this. */
export function readProcessEnv(): Env {
  return Object.freeze({ ...process.env });
}

import type { PipelinePaths } from "../core/loaded-pipeline.js";
import { removeOrphanedTemps } from "../core/atomic-write.js";
import type { Clock } from "../core/clock.js";
import { acquireLock, runLockPath } from "../core/lock.js";

/** `held`: another live tunefile has the lock; otherwise the lock file could not be written. */
export type Locked<T> = { ok: true; value: T } | { ok: false; held: boolean; message: string };

/**
 * The one place the run lock is taken, by every command that writes the lockfile or the deployments file (`run`,
 * `watch`, `cancel`, `rollback`). Under it, temp files a killed writer left behind are removed first. A held lock
 * comes back as a message, never as an exception.
 */
export async function withRunLock<T>(paths: PipelinePaths, clock: Clock, work: () => Promise<T>): Promise<Locked<T>> {
  const lock = await acquireLock(runLockPath(paths.lockfile), clock.now());
  if (!lock.ok) {
    return {
      ok: false,
      held: lock.reason !== "unwritable",
      message:
        lock.reason === "unwritable"
          ? `cannot take the run lock: ${lock.message}`
          : `${paths.displayFile} is already running: ${lock.message}`,
    };
  }
  try {
    await removeOrphanedTemps(paths.lockfile);
    return { ok: true, value: await work() };
  } finally {
    await lock.lock.release();
  }
}

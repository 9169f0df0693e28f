import path from "node:path";
import { acquireLock, type HeldLock } from "./lock.js";

/**
 * One local server per state directory: two servers on the same state would both train the same jobs and overwrite
 * each other's documents, so the second is refused. Thrown by the server, caught by `tunefile serve` and by the
 * local provider (which then uses the holder's published server), so it lives here rather than in the server.
 */
export class StateDirInUseError extends Error {
  constructor(
    readonly stateDir: string,
    /** The holder's pid as recorded in the lock. */
    readonly pid: number,
    detail: string,
  ) {
    super(
      `the state directory ${stateDir} is in use by another local server (stop it or use another --state): ${detail}`,
    );
  }
}

/** Takes `<stateDir>/server.lock` with the one lock of tunefile; throws StateDirInUseError when it is held. */
export async function lockStateDir(stateDir: string, now: Date): Promise<HeldLock> {
  const result = await acquireLock(path.join(stateDir, "server.lock"), now);
  if (result.ok) return result.lock;
  if (result.reason === "held") throw new StateDirInUseError(stateDir, result.holder?.pid ?? -1, result.message);
  // A state directory that cannot be written cannot hold the server's state either: not a lock matter.
  throw new Error(`cannot start the local server: ${result.message}`);
}

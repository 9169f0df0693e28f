import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";

/** What the lock file holds: enough to say who holds it and to tell whether that process is still alive. */
interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601. */
  since: string;
}

export type AcquireResult =
  | { ok: true; lock: RunLock }
  /** Another live process holds the lock. `message` reads "locked by pid N since <ISO time>". */
  | { ok: false; reason: "held"; message: string; owner: LockOwner; lockPath: string }
  /** The lock cannot be written at all (full disk, read-only directory, no permission): nothing ran. */
  | { ok: false; reason: "unwritable"; message: string; lockPath: string };

export interface RunLock {
  path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** The advisory lock's path: hidden, beside the lockfile, e.g. pipelines/.elle.run-lock. */
export function runLockPath(lockfile: string): string {
  const base = path.basename(lockfile).replace(/\.lock\.ya?ml$/, "");
  return path.join(path.dirname(lockfile), `.${base}.run-lock`);
}

/**
 * One run per pipeline at a time. The lock is a file created exclusively (link, like O_EXCL) holding the owner's pid; a lock whose
 * process is gone (killed, crashed) is stale and taken over. A pid on another host cannot be checked, so it counts
 * as alive.
 */
export async function acquireRunLock(lockfile: string, now: Date, pid = process.pid): Promise<AcquireResult> {
  const lockPath = runLockPath(lockfile);
  const mine: LockOwner = { pid, hostname: hostname(), since: now.toISOString() };
  const content = `${JSON.stringify(mine)}\n`;
  // Two rounds: the second follows the removal of a stale lock. More contention than that means someone live holds it.
  for (let round = 0; round < 3; round++) {
    let created: boolean;
    try {
      created = await createExclusive(lockPath, content);
    } catch (err) {
      // A full disk or a read-only directory is the user's environment, not a bug: say so plainly, touch nothing.
      const code = (err as NodeJS.ErrnoException).code;
      if (code && UNWRITABLE[code]) {
        return {
          ok: false,
          reason: "unwritable",
          message: `cannot write ${lockPath}: ${UNWRITABLE[code]} (${code})`,
          lockPath,
        };
      }
      throw err;
    }
    if (created) return { ok: true, lock: makeLock(lockPath, content) };
    const text = await readFile(lockPath, "utf8").catch(() => undefined);
    if (text === undefined) continue; // released between our create and our read: try again
    const owner = parseOwner(text);
    if (owner && isAlive(owner)) {
      return { ok: false, reason: "held", message: `locked by pid ${owner.pid} since ${owner.since}`, owner, lockPath };
    }
    await removeStale(lockPath, text);
  }
  const text = await readFile(lockPath, "utf8").catch(() => "");
  const owner = parseOwner(text) ?? { pid: 0, hostname: "", since: "unknown" };
  return { ok: false, reason: "held", message: `locked by pid ${owner.pid} since ${owner.since}`, owner, lockPath };
}

/** File-system errors that mean "this directory cannot take the lock", with what to tell the user. */
const UNWRITABLE: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
};

/**
 * Creates the lock file with its content in one step: write a temp file, then hard-link it into place (link fails
 * with EEXIST like O_EXCL). So no other process ever sees an empty, half-written lock and mistakes it for stale.
 */
async function createExclusive(lockPath: string, content: string): Promise<boolean> {
  const temp = `${lockPath}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Moves the stale lock aside before deleting it, and checks that what was moved is the stale lock that was read: if
 * another process replaced it in between, its fresh lock is put back instead of being deleted from under it.
 */
async function removeStale(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // already gone
  }
  const moved = await readFile(aside, "utf8").catch(() => undefined);
  if (moved !== undefined && moved !== staleText) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}

function makeLock(lockPath: string, content: string): RunLock {
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      const text = await readFile(lockPath, "utf8").catch(() => undefined);
      if (text === content) await unlink(lockPath).catch(() => {});
    },
  };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === "number" && typeof value.since === "string") {
      return { pid: value.pid, hostname: value.hostname ?? "", since: value.since };
    }
  } catch {
    // a torn or hand-written lock file: treat as stale below
  }
  return undefined;
}

function isAlive(owner: LockOwner): boolean {
  if (owner.hostname && owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

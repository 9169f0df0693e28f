import { randomBytes } from "node:crypto";
import { type FileHandle, link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { checkProcess, currentProcess, type ProcessIdentity } from "./process-identity.js";

/** A holder refreshes its lock file's mtime this often while it runs. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A lock whose holder cannot be checked from here is stale once its heartbeat (mtime) is older than this. */
export const STALE_AFTER_MS = 30_000;

/** What a lock file holds: who took it, and enough to tell whether that very process still runs. */
export interface LockHolder extends ProcessIdentity {
  /** ISO 8601. */
  since: string;
}

export type AcquireResult =
  | { ok: true; lock: HeldLock }
  /** Someone holds it: `message` says who, since when, how old the heartbeat is and when it goes stale. */
  | { ok: false; reason: "held"; message: string; holder?: LockHolder; lockPath: string }
  /** The lock cannot be written at all (full disk, read-only directory, no permission): nothing ran. */
  | { ok: false; reason: "unwritable"; message: string; lockPath: string };

export interface HeldLock {
  path: string;
  /** Stops the heartbeat and removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Takes the lock at `lockPath`, the one lock of tunefile (the run lock beside a lockfile, the local server's state
 * lock). The file is created exclusively and whole; a lock counts as held only while its holder is the same process
 * and alive (see checkProcess), or, when that cannot be checked from here, while its heartbeat is fresh. A stale lock
 * is taken over at once. `now` is compared with the heartbeat and recorded as `since`.
 */
export async function acquireLock(lockPath: string, now: Date): Promise<AcquireResult> {
  const self = currentProcess();
  const content = `${JSON.stringify({ ...self, since: now.toISOString() } satisfies LockHolder)}\n`;
  // The second and third rounds follow the removal of a stale lock; more contention than that means someone live.
  for (let round = 0; round < 3; round++) {
    let created: FileHandle | "exists";
    try {
      created = await createExclusive(lockPath, content);
    } catch (err) {
      const unwritable = unwritableMessage(lockPath, err);
      if (unwritable) return { ok: false, reason: "unwritable", message: unwritable, lockPath };
      throw err;
    }
    if (created !== "exists") return { ok: true, lock: holdLock(lockPath, created) };
    const existing = await readLock(lockPath);
    if (!existing) continue; // released between our attempt and our read
    const verdict = judge(existing, self, now, lockPath);
    if (verdict.held) return { ok: false, reason: "held", message: verdict.message, holder: verdict.holder, lockPath };
    await removeStale(lockPath, existing.text);
  }
  const existing = await readLock(lockPath);
  const verdict = existing ? judge(existing, self, now, lockPath) : undefined;
  if (verdict?.held) return { ok: false, reason: "held", message: verdict.message, holder: verdict.holder, lockPath };
  return { ok: false, reason: "held", message: `${lockPath} kept changing hands; try again`, lockPath };
}

/** The run lock of a pipeline: hidden, beside its lockfile, e.g. pipelines/.elle.run-lock. */
export function runLockPath(lockfile: string): string {
  const base = path.basename(lockfile).replace(/\.lock\.ya?ml$/, "");
  return path.join(path.dirname(lockfile), `.${base}.run-lock`);
}

type Verdict = { held: true; holder: LockHolder; message: string } | { held: false };

/** Whether an existing lock still holds, and if so, the refusal message. A lock that does not parse is stale. */
function judge(existing: ExistingLock, self: ProcessIdentity, now: Date, lockPath: string): Verdict {
  const holder = parseHolder(existing.text);
  if (!holder) return { held: false };
  const liveness = checkProcess(holder, self);
  if (liveness === "gone") return { held: false };
  const age = now.getTime() - existing.mtimeMs;
  const who = `locked by pid ${holder.pid} on host ${holder.hostname || "unknown"} since ${holder.since}`;
  const beat = `heartbeat ${Math.max(0, Math.round(age / 1000))} s ago`;
  if (liveness === "running") {
    return {
      held: true,
      holder,
      message: `${who}; that process is still running (${beat}); the lock frees when it ends`,
    };
  }
  if (age > STALE_AFTER_MS) return { held: false };
  const staleAt = new Date(existing.mtimeMs + STALE_AFTER_MS).toISOString();
  return {
    held: true,
    holder,
    message:
      `${who}; ${beat}, stale after ${STALE_AFTER_MS / 1000} s (at ${staleAt}) if that process is gone. ` +
      `Delete ${lockPath} by hand only as a last resort.`,
  };
}

type ExistingLock = { text: string; mtimeMs: number };

/** The lock's content and heartbeat, read from one open file so both belong to the same lock. */
async function readLock(lockPath: string): Promise<ExistingLock | undefined> {
  const handle = await open(lockPath, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const [text, info] = await Promise.all([handle.readFile("utf8"), handle.stat()]);
    return { text, mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * Creates the lock file with its content in one step: write a temp file, then hard-link it into place (link fails
 * with EEXIST like O_EXCL). So no other process ever sees an empty, half-written lock and mistakes it for stale.
 * The temp file's handle stays open: the heartbeat touches this inode, never a lock that replaced it.
 */
async function createExclusive(lockPath: string, content: string): Promise<FileHandle | "exists"> {
  const temp = `${lockPath}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o644);
  let linked = false;
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
    await link(temp, lockPath);
    linked = true;
    return handle;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return "exists";
    throw err;
  } finally {
    if (!linked) await handle.close();
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

/** The taken lock: a heartbeat that never keeps the process alive, and a release that removes only our own file. */
function holdLock(lockPath: string, handle: FileHandle): HeldLock {
  let beat: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const touch = () => {
      const t = new Date();
      return handle.utimes(t, t);
    };
    // A missed beat (file system gone read-only) only makes the lock look stale to hosts that cannot check us.
    beat = beat.then(touch).catch(() => {});
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await beat;
      try {
        const [mine, current] = await Promise.all([handle.stat(), stat(lockPath)]);
        if (mine.ino === current.ino && mine.dev === current.dev) await unlink(lockPath);
      } catch {
        // Already gone, or taken over as stale: not ours to remove.
      } finally {
        await handle.close();
      }
    },
  };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== "number") return undefined;
    const holder: LockHolder = {
      pid: value.pid,
      hostname: typeof value.hostname === "string" ? value.hostname : "",
      since: typeof value.since === "string" ? value.since : "an unknown time",
    };
    if (typeof value.boot_id === "string") holder.boot_id = value.boot_id;
    if (typeof value.start_time === "string") holder.start_time = value.start_time;
    return holder;
  } catch {
    // A hand-written lock file: nobody can be holding it.
    return undefined;
  }
}

/** File-system errors that mean "this directory cannot take the lock", with what to tell the user. */
const UNWRITABLE: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
};

function unwritableMessage(lockPath: string, err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  return code && UNWRITABLE[code] ? `cannot write ${lockPath}: ${UNWRITABLE[code]} (${code})` : undefined;
}

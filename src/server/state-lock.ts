import { randomBytes } from "node:crypto";
import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

/**
 * One server per state directory. Two servers on the same state would both train the same jobs and overwrite each
 * other's documents, so the second one is refused with a clear message instead. The lock names the owning process;
 * a lock left by a process that no longer exists (killed, crashed) is taken over at once, so a restart after
 * `kill -9` does not wait.
 */
export class StateDirInUseError extends Error {
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `the state directory ${stateDir} is in use by another local server (process ${pid}); stop it or use another --state`,
    );
  }
}

export interface StateLock {
  release(): Promise<void>;
}

const LOCK_FILE = "server.lock";

export async function lockStateDir(stateDir: string): Promise<StateLock> {
  const file = path.join(stateDir, LOCK_FILE);
  const token = randomBytes(8).toString("hex");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, token }));
      await handle.close();
      return {
        async release() {
          const holder = await readHolder(file);
          if (holder?.token === token) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = await readHolder(file);
      if (holder && isAlive(holder.pid)) throw new StateDirInUseError(stateDir, holder.pid);
      // The holder is gone: take the lock over.
      await rm(file, { force: true });
    }
  }
  throw new StateDirInUseError(stateDir, -1);
}

async function readHolder(file: string): Promise<{ pid: number; token: string } | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as { pid: number; token: string };
  } catch {
    // Missing, or half-written by a process that died while creating it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

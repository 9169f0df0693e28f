import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The in-process local server of a running tunefile command, shared with other commands on the same state.
 *
 * One server may own a state directory at a time (src/core/state-dir-lock.ts), and the runner's server lives inside
 * the runner. So while `run` trains, `status`, `cancel` or `watch` cannot start a server of their own; instead the
 * runner publishes its server's URL here and they talk to it, exactly as they would to a remote service.
 */
const SHARED_FILE = "in-process-server.json";

interface SharedServer {
  pid: number;
  url: string;
}

/** Publishes this process's server for the others; returns how to withdraw it. */
export async function publishServer(stateDir: string, url: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir, SHARED_FILE);
  const mine: SharedServer = { pid: process.pid, url };
  await writeFile(file, JSON.stringify(mine));
  return async () => {
    const current = await readShared(file);
    if (current?.pid === process.pid && current.url === url) await rm(file, { force: true });
  };
}

/** The URL published by `pid`, the process that owns the state directory, if it published one. */
export async function sharedServerUrl(stateDir: string, pid: number): Promise<string | undefined> {
  const shared = await readShared(path.join(stateDir, SHARED_FILE));
  return shared?.pid === pid ? shared.url : undefined;
}

async function readShared(file: string): Promise<SharedServer | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as Partial<SharedServer>;
    return typeof value.pid === "number" && typeof value.url === "string"
      ? { pid: value.pid, url: value.url }
      : undefined;
  } catch {
    // Missing, or half-written by a process that died.
    return undefined;
  }
}

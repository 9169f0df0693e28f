import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { watch } from "node:fs";
import { readdir, readFile, rename, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, runLockPath, STALE_AFTER_MS } from "../../src/core/lock.js";
import { currentProcess, parseProcStat, procStat } from "../../src/core/process-identity.js";
import { StateDirInUseError } from "../../src/core/state-dir-lock.js";
import { startLocalServer } from "../../src/server/app.js";
import { REPO_ROOT } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const LOCK_JS = path.join(REPO_ROOT, "dist/core/lock.js");
const HAS_PROC = procStat(process.pid) !== undefined;
const NO_PROC = "no /proc here: start times and zombie states cannot be read";

/** A node program that takes the lock at `lockPath`, prints "locked <pid>" (or the refusal) and stays alive. */
function holderScript(lockPath: string): string {
  return `
    import { acquireLock } from ${JSON.stringify(LOCK_JS)};
    const r = await acquireLock(${JSON.stringify(lockPath)}, new Date());
    process.stdout.write(r.ok ? "locked " + process.pid + "\\n" : "refused " + r.message + "\\n");
    setInterval(() => {}, 1000);`;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (d) => {
      text += String(d);
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before printing a line: ${text}`)));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/** Waits until `check` holds, failing after `ms`: for states that have no event (a process turning zombie). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function lockIn(dir: string): Promise<string> {
  return runLockPath(path.join(dir, "elle.lock.yaml"));
}

describe("the lock: basics", () => {
  it("the run lock lives hidden beside the lockfile", () => {
    expect(runLockPath("/p/pipelines/elle.lock.yaml")).toBe("/p/pipelines/.elle.run-lock");
  });

  it("parses /proc/<pid>/stat from the last ')', whatever the command name holds", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3)); // field 3 onwards
    fields[0] = "Z";
    const text = `4242 (a) b (c)) ${fields.join(" ")}\n`;
    expect(parseProcStat(text)).toEqual({ state: "Z", startTime: "22" });
    expect(parseProcStat("garbage")).toBeUndefined();
  });

  it("refuses a second holder while this live process holds it, and can be taken again after release", async () => {
    const dir = await tempDir();
    const lockPath = await lockIn(dir);
    const since = new Date();
    const first = await acquireLock(lockPath, since);
    if (!first.ok) throw new Error(first.message);
    const second = await acquireLock(lockPath, new Date(since.getTime() + 2_000));
    expect(second).toMatchObject({
      ok: false,
      reason: "held",
      message: `locked by pid ${process.pid} on host ${hostname()} since ${since.toISOString()}; that process is still running (heartbeat 2 s ago); the lock frees when it ends`,
    });
    await first.lock.release();
    await first.lock.release(); // twice is harmless
    expect(await readdir(dir)).toEqual([]);
    const third = await acquireLock(lockPath, new Date());
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  it("records pid, host, boot id and start time, written whole", async () => {
    const lockPath = await lockIn(await tempDir());
    const now = new Date();
    const r = await acquireLock(lockPath, now);
    if (!r.ok) throw new Error(r.message);
    const recorded = JSON.parse(await readFile(lockPath, "utf8"));
    expect(recorded).toEqual({ ...currentProcess(), since: now.toISOString() });
    if (HAS_PROC) expect(recorded.start_time).toBe(procStat(process.pid)?.startTime);
    await r.lock.release();
  });

  it("release leaves alone a lock that replaced ours (taken over as stale)", async () => {
    const dir = await tempDir();
    const lockPath = await lockIn(dir);
    const r = await acquireLock(lockPath, new Date());
    if (!r.ok) throw new Error(r.message);
    const theirs = path.join(dir, "theirs");
    await writeFile(theirs, JSON.stringify({ pid: 1, hostname: "elsewhere", since: "x" }));
    await rename(theirs, lockPath);
    await r.lock.release();
    expect(JSON.parse(await readFile(lockPath, "utf8")).hostname).toBe("elsewhere");
  });

  it("treats an unreadable lock file as stale", async () => {
    const lockPath = await lockIn(await tempDir());
    await writeFile(lockPath, "garbage");
    const r = await acquireLock(lockPath, new Date());
    expect(r.ok).toBe(true);
    if (r.ok) await r.lock.release();
  });

  it("refreshes the heartbeat (the file's mtime) while held", async () => {
    const lockPath = await lockIn(await tempDir());
    const r = await acquireLock(lockPath, new Date());
    if (!r.ok) throw new Error(r.message);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    // The beat comes within 10 s; inotify reports the attribute change as an event.
    await new Promise<void>((resolve, reject) => {
      const watcher = watch(lockPath, async () => {
        if ((await stat(lockPath)).mtimeMs > old.getTime() + 30_000) {
          watcher.close();
          clearTimeout(timer);
          resolve();
        }
      });
      const timer = setTimeout(() => {
        watcher.close();
        reject(new Error("no heartbeat within 15 s"));
      }, 15_000);
    });
    await r.lock.release();
  }, 30_000);

  it("lets exactly one of many simultaneous processes in", async () => {
    const lockPath = await lockIn(await tempDir());
    // Each child holds whatever it got until its stdin closes, which happens only after all have answered: a winner
    // that exits early would leave a stale lock and let a latecomer in legitimately.
    const script = `
      import { acquireLock } from ${JSON.stringify(LOCK_JS)};
      const r = await acquireLock(${JSON.stringify(lockPath)}, new Date());
      process.stdout.write(r.ok ? "locked" : "refused");
      process.stdin.resume();
      process.stdin.on("end", () => process.exit(0));`;
    const children = Array.from({ length: 6 }, () =>
      spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] }),
    );
    const outputs = await Promise.all(
      children.map((child) => new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d))))),
    );
    await Promise.all(
      children.map((child) => {
        child.stdin.end();
        return exited(child);
      }),
    );
    expect(outputs.sort()).toEqual(["locked", "refused", "refused", "refused", "refused", "refused"]);
  });
});

describe("the lock: dead, zombie and reused holders", () => {
  it("takes over the lock of a process killed with SIGKILL", async () => {
    const dir = await tempDir();
    const lockPath = await lockIn(dir);
    const child = spawn(process.execPath, ["--input-type=module", "-e", holderScript(lockPath)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    expect(await firstLine(child)).toBe(`locked ${child.pid}`);
    const whileAlive = await acquireLock(lockPath, new Date());
    expect(whileAlive).toMatchObject({ ok: false, holder: { pid: child.pid } });
    expect(whileAlive.ok ? "" : whileAlive.message).toMatch(/that process is still running/);

    child.kill("SIGKILL");
    await exited(child);
    const afterDeath = await acquireLock(lockPath, new Date());
    expect(afterDeath.ok).toBe(true);
    if (afterDeath.ok) await afterDeath.lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(!HAS_PROC)("takes over the lock of a zombie (killed, never reaped by its parent)", async (ctx) => {
    const lockPath = await lockIn(await tempDir());
    // sh starts the holder in the background, then becomes `sleep`, which never waits for its children: the killed
    // holder stays a zombie for as long as sleep runs.
    const parent = spawn("sh", ["-c", `"$NODE" --input-type=module -e "$HOLDER" & exec sleep 600`], {
      env: { ...process.env, NODE: process.execPath, HOLDER: holderScript(lockPath) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await firstLine(parent);
      const holderPid = Number(line.replace("locked ", ""));
      expect(line).toBe(`locked ${holderPid}`);
      process.kill(holderPid, "SIGKILL");
      try {
        await until("the holder to become a zombie", () => procStat(holderPid)?.state === "Z", 5_000);
      } catch {
        console.log(`zombie test skipped: pid ${holderPid} is ${procStat(holderPid)?.state ?? "gone"}, not Z`);
        ctx.skip();
      }
      // The lock names a pid that kill(pid, 0) still finds.
      expect(() => process.kill(holderPid, 0)).not.toThrow();
      const r = await acquireLock(lockPath, new Date());
      expect(r.ok).toBe(true);
      if (r.ok) await r.lock.release();
    } finally {
      parent.kill("SIGKILL");
      await exited(parent);
    }
  });

  it.skipIf(!HAS_PROC)("a pid that now belongs to another process (another start time) counts as dead", async () => {
    const lockPath = await lockIn(await tempDir());
    const other = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      await until("sleep to start", () => procStat(other.pid ?? 0) !== undefined);
      const real = procStat(other.pid ?? 0)?.startTime ?? "";
      const lockNaming = (startTime: string) =>
        `${JSON.stringify({ ...currentProcess(), pid: other.pid, start_time: startTime, since: "2026-01-02T03:04:05.000Z" })}\n`;
      // Control: with its real start time, the live sleep holds the lock.
      await writeFile(lockPath, lockNaming(real));
      expect(await acquireLock(lockPath, new Date())).toMatchObject({ ok: false, holder: { pid: other.pid } });
      // The same live pid, recorded with another start time, is some earlier process that is gone.
      await writeFile(lockPath, lockNaming(String(Number(real) - 1)));
      const r = await acquireLock(lockPath, new Date());
      expect(r.ok).toBe(true);
      if (r.ok) await r.lock.release();
    } finally {
      other.kill("SIGKILL");
      await exited(other);
    }
  });
});

/** Why `unshare --pid --fork --mount-proc` cannot run here, or undefined when it can. */
function unshareUnavailable(): string | undefined {
  if (!HAS_PROC) return NO_PROC;
  const probe = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "true"], {
    encoding: "utf8",
  });
  if (probe.error) return `unshare cannot run: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare is not permitted here: ${probe.stderr.trim() || `exit ${probe.status}`}`;
  return undefined;
}

describe("the lock: a fresh PID namespace (a container's PID 1)", () => {
  const unavailable = unshareUnavailable();
  if (unavailable) console.log(`PID namespace test skipped: ${unavailable}`);

  it.skipIf(unavailable !== undefined)(
    "a lock left by pid 1 of a killed namespace does not block pid 1 of the next one",
    async () => {
      const lockPath = await lockIn(await tempDir());
      const inNamespace = (script: string) =>
        spawn(
          "unshare",
          ["--pid", "--fork", "--mount-proc", "--kill-child", process.execPath, "--input-type=module", "-e", script],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
      const first = inNamespace(holderScript(lockPath));
      expect(await firstLine(first)).toBe("locked 1");
      // The namespace's pid 1 as this test sees it, to know when it is really gone.
      const inner = Number(
        (await readFile(`/proc/${first.pid}/task/${first.pid}/children`, "utf8")).trim().split(/\s+/)[0],
      );
      expect(inner).toBeGreaterThan(1);
      first.kill("SIGKILL"); // --kill-child takes the namespace's pid 1 with it
      await exited(first);
      await until("the namespace's pid 1 to be gone", () => procStat(inner) === undefined);
      const recorded = JSON.parse(await readFile(lockPath, "utf8"));
      expect(recorded.pid).toBe(1);

      const second = inNamespace(holderScript(lockPath));
      try {
        expect(await firstLine(second)).toBe("locked 1");
        const now = JSON.parse(await readFile(lockPath, "utf8"));
        expect(now.start_time).not.toBe(recorded.start_time);
      } finally {
        second.kill("SIGKILL");
        await exited(second);
      }
    },
  );
});

describe("the lock: a holder on another host is judged by its heartbeat", () => {
  const OTHER = { hostname: "other-host", boot_id: "00000000-0000-0000-0000-000000000000", start_time: "1" };

  it("another host with a heartbeat older than 30 s is taken over, even if its pid is alive here", async () => {
    const lockPath = await lockIn(await tempDir());
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, ...OTHER, since: "2026-01-02T03:04:05.000Z" }));
    const beat = new Date(Date.now() - STALE_AFTER_MS - 1_000);
    await utimes(lockPath, beat, beat);
    const r = await acquireLock(lockPath, new Date());
    expect(r.ok).toBe(true);
    if (r.ok) await r.lock.release();
  });

  it("another host with a fresh heartbeat is refused, saying how old it is and when it goes stale", async () => {
    const lockPath = await lockIn(await tempDir());
    await writeFile(lockPath, JSON.stringify({ pid: 4242, ...OTHER, since: "2026-01-02T03:04:05.000Z" }));
    const beat = new Date(Math.floor(Date.now() / 1000) * 1000 - 4_000);
    await utimes(lockPath, beat, beat);
    const r = await acquireLock(lockPath, new Date(beat.getTime() + 4_000));
    const staleAt = new Date(beat.getTime() + 30_000).toISOString();
    expect(r).toEqual({
      ok: false,
      reason: "held",
      holder: { pid: 4242, ...OTHER, since: "2026-01-02T03:04:05.000Z" },
      lockPath,
      message:
        `locked by pid 4242 on host other-host since 2026-01-02T03:04:05.000Z; heartbeat 4 s ago, stale after 30 s ` +
        `(at ${staleAt}) if that process is gone. Delete ${lockPath} by hand only as a last resort.`,
    });
  });
});

describe("the lock: the local server's state directory uses the same lock", () => {
  it("refuses a second server on a live server's state, and takes over the state of a SIGKILLed one", async () => {
    const stateDir = await tempDir();
    const first = await startLocalServer({ stateDir, port: 0 });
    try {
      const refused = await startLocalServer({ stateDir, port: 0 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StateDirInUseError);
      expect((refused as Error).message).toBe(
        `the state directory ${stateDir} is in use by another local server (stop it or use another --state): ` +
          `locked by pid ${process.pid} on host ${hostname()} since ${JSON.parse(await readFile(path.join(stateDir, "server.lock"), "utf8")).since}; ` +
          "that process is still running (heartbeat 0 s ago); the lock frees when it ends",
      );
    } finally {
      await first.close();
    }
    expect(await readdir(stateDir)).not.toContain("server.lock");

    const script = `
      import { startLocalServer } from ${JSON.stringify(path.join(REPO_ROOT, "dist/server/app.js"))};
      const server = await startLocalServer({ stateDir: ${JSON.stringify(stateDir)}, port: 0 });
      process.stdout.write("serving " + server.url + "\\n");`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    expect(await firstLine(child)).toMatch(/^serving http/);
    expect(JSON.parse(await readFile(path.join(stateDir, "server.lock"), "utf8")).pid).toBe(child.pid);
    child.kill("SIGKILL");
    await exited(child);
    const second = await startLocalServer({ stateDir, port: 0 });
    await second.close();
  });
});

import { spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireRunLock, runLockPath } from "../../src/engine/run-lock.js";
import { REPO_ROOT } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const NOW = new Date("2026-01-02T03:04:05.000Z");

describe("run lock", () => {
  it("lives hidden beside the lockfile", () => {
    expect(runLockPath("/p/pipelines/elle.lock.yaml")).toBe("/p/pipelines/.elle.run-lock");
  });

  it("refuses a second holder with who and since, and can be taken again after release", async () => {
    const dir = await tempDir();
    const lockfile = path.join(dir, "elle.lock.yaml");
    const first = await acquireRunLock(lockfile, NOW);
    expect(first.ok).toBe(true);
    const second = await acquireRunLock(lockfile, new Date());
    expect(second).toMatchObject({ ok: false, message: `locked by pid ${process.pid} since 2026-01-02T03:04:05.000Z` });
    if (first.ok) await first.lock.release();
    expect(await readdir(dir)).toEqual([]);
    const third = await acquireRunLock(lockfile, NOW);
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  it("recovers the lock of a process killed with SIGKILL", async () => {
    const dir = await tempDir();
    const lockfile = path.join(dir, "elle.lock.yaml");
    const script = `
      import { acquireRunLock } from ${JSON.stringify(path.join(REPO_ROOT, "dist/engine/run-lock.js"))};
      const r = await acquireRunLock(${JSON.stringify(lockfile)}, new Date());
      process.stdout.write(r.ok ? "locked\\n" : "refused\\n");
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d))));
    expect(line).toBe("locked\n");

    const whileAlive = await acquireRunLock(lockfile, NOW);
    expect(whileAlive).toMatchObject({ ok: false, owner: { pid: child.pid } });
    expect(whileAlive.ok ? "" : whileAlive.message).toMatch(
      new RegExp(`^locked by pid ${child.pid} since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$`),
    );

    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));
    const afterDeath = await acquireRunLock(lockfile, NOW);
    expect(afterDeath.ok).toBe(true);
    if (afterDeath.ok) await afterDeath.lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("lets exactly one of many simultaneous processes in", async () => {
    const dir = await tempDir();
    const lockfile = path.join(dir, "elle.lock.yaml");
    // Each child holds whatever it got until its stdin closes, which happens only after all have answered: a winner
    // that exits early would leave a stale lock and let a latecomer in legitimately.
    const script = `
      import { acquireRunLock } from ${JSON.stringify(path.join(REPO_ROOT, "dist/engine/run-lock.js"))};
      const r = await acquireRunLock(${JSON.stringify(lockfile)}, new Date());
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
        return new Promise((resolve) => child.once("close", resolve));
      }),
    );
    expect(outputs.sort()).toEqual(["locked", "refused", "refused", "refused", "refused", "refused"]);
  });

  it("treats an unreadable lock file as stale", async () => {
    const dir = await tempDir();
    const lockfile = path.join(dir, "elle.lock.yaml");
    await writeFile(runLockPath(lockfile), "garbage");
    const r = await acquireRunLock(lockfile, NOW);
    expect(r.ok).toBe(true);
  });
});

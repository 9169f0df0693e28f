import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { capable } from "../helpers/capability.js";
import { runCli } from "../helpers/cli.js";
import { startCli, waitFor } from "../providers/harness.js";
import { stackTraceIn } from "./support/measured-cli.js";
import { mountTmpfs, probeTmpfs, remountReadOnly, unmount } from "./support/tmpfs.js";
import { elleProject } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Concurrency and environment (issue 6). Two live runs at once are covered end to end by test/e2e/remote-run.test.ts
 * ("a second run of the same pipeline at the same time is refused"); here: the message's time, a lock left by a
 * SIGKILLed run, a full disk, a read-only directory and a hand-edited lockfile. In every failure, what was already
 * recorded stays byte for byte.
 */
const RUN = ["run", "pipelines/elle.yaml", "--yes"];
const LOCK = "pipelines/elle.lock.yaml";

describe("one run at a time", () => {
  it("a lock held by a live process is refused with its pid and start time, and nothing is written", async () => {
    const root = await elleProject({ smallEval: true, lifetime: "file" });
    const since = "2026-01-02T03:04:05.006Z";
    // The test's own pid: a process that is certainly alive, on this host.
    await writeFile(
      path.join(root, "pipelines/.elle.run-lock"),
      `${JSON.stringify({ pid: process.pid, hostname: hostname(), since })}\n`,
    );
    const run = await runCli(RUN, { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `pipelines/elle.yaml is already running: locked by pid ${process.pid} on host ${hostname()} since ${since}`,
    );
    await expect(readFile(path.join(root, LOCK))).rejects.toThrow(/ENOENT/);
  });

  it("a lock left by a SIGKILLed run is taken over by the next run", async () => {
    const root = await elleProject({ smallEval: true, lifetime: "file" });
    const lockPath = path.join(root, "pipelines/.elle.run-lock");
    const first = startCli(RUN, { cwd: root, env: { TUNEFILE_LOCAL_STEP_MS: "100" } });
    await waitFor(
      "the run lock",
      async () => (await readFile(lockPath, "utf8").catch(() => "")).includes("pid"),
      first,
    );
    first.child.kill("SIGKILL");
    await first.done;
    expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(first.child.pid);
    const rerun = await runCli([...RUN, "--only", "prepare"], { cwd: root });
    expect(rerun.stderr).not.toContain("locked by");
    expect(rerun.code, rerun.stderr).toBe(0);
    await expect(readFile(lockPath)).rejects.toThrow(/ENOENT/);
  }, 120_000);
});

describe("a hand-edited lockfile", () => {
  it.each([
    ["a schema violation", (t: string) => t.replace(/(prepare:\n {4}status:) succeeded/, "$1 ok"), "lockfile-invalid"],
    ["broken YAML", (t: string) => t.replace("stages:\n", 'stages: ["\n'), "lockfile-syntax"],
    ["a newer version", (t: string) => t.replace(/^version: 1$/m, "version: 99"), "lockfile-version"],
  ])(
    "with %s is refused with a located error and never overwritten",
    async (_, edit, code) => {
      const root = await elleProject({ smallEval: true, lifetime: "file" });
      const first = await runCli([...RUN, "--only", "prepare"], { cwd: root });
      expect(first.code, first.stderr).toBe(0);
      const edited = edit(await readFile(path.join(root, LOCK), "utf8"));
      await writeFile(path.join(root, LOCK), edited);
      const run = await runCli(RUN, { cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^pipelines/elle\\.lock\\.yaml:\\d+:\\d+ error\\[${code}\\]`, "m"));
      expect(stackTraceIn(run.stderr)).toBeUndefined();
      expect(await readFile(path.join(root, LOCK), "utf8")).toBe(edited);
    },
    120_000,
  );
});

const MOUNTABLE = capable("a tmpfs mount (root or CAP_SYS_ADMIN)", probeTmpfs);
const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) unmount(dir);
});

/** A project with prepare recorded, on its own small tmpfs; returns the root and the lockfile's bytes. */
async function preparedOnTmpfs(): Promise<{ root: string; recorded: Buffer }> {
  const root = await tempDir("tunefile-tmpfs-", "file");
  mountTmpfs(root, 3072);
  mounted.push(root);
  await elleProject({ root });
  const first = await runCli([...RUN, "--only", "prepare"], { cwd: root });
  expect(first.code, first.stderr).toBe(0);
  return { root, recorded: await readFile(path.join(root, LOCK)) };
}

async function fillDisk(root: string): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let i = 0; ; i++) await writeFile(path.join(root, `filler-${i}`), chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  }
}

const ENVIRONMENTS: [string, (root: string) => Promise<void> | void, RegExp][] = [
  ["a full disk", fillDisk, /no space left on device|ENOSPC/i],
  ["a read-only directory", remountReadOnly, /read-only file system|EROFS/i],
];

describe.skipIf(!MOUNTABLE)("full disk and read-only directory (a small tmpfs; needs root)", () => {
  it.each(ENVIRONMENTS)(
    "%s: the run fails and the lockfile keeps its content byte for byte",
    async (_, break_, _cause) => {
      const { root, recorded } = await preparedOnTmpfs();
      await break_(root);
      const run = await runCli(RUN, { cwd: root });
      expect(run.code).not.toBe(0);
      expect(await readFile(path.join(root, LOCK))).toEqual(recorded);
    },
    120_000,
  );

  // The run lock is the first write of a run; its ENOSPC / EROFS must read as the user's environment, not as a bug.
  it.each(ENVIRONMENTS)(
    "%s: the error is clear, names the cause, and has no stack trace",
    async (_, break_, cause) => {
      const { root } = await preparedOnTmpfs();
      await break_(root);
      const run = await runCli(RUN, { cwd: root });
      expect(run.stderr).toMatch(cause);
      expect(stackTraceIn(run.stderr)).toBeUndefined();
    },
    120_000,
  );
});

import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { removeOrphanedTemps } from "../../src/core/atomic-write.js";
import { parseLockfile } from "../../src/engine/lockfile/parse.js";
import { serializeLockfile } from "../../src/engine/lockfile/serialize.js";
import { LockfileStore, readLockfile } from "../../src/engine/lockfile/store.js";
import type { Lockfile } from "../../src/engine/lockfile/types.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";

const FP = "0123456789abcdef".repeat(4);

const sample: Lockfile = {
  version: 1,
  pipeline: "elle",
  provider: { kind: "local", base_url: "http://127.0.0.1:4000/v1" },
  stages: {
    // Deliberately out of stage order and with unsorted free-form keys: the file must come out ordered anyway.
    train: {
      attempts: 1,
      status: "running",
      fingerprint: FP,
      started_at: "2026-01-02T03:04:05.000Z",
      checkpoint: { job_id: "ftjob-1", intent: "create" },
    },
    prepare: {
      status: "succeeded",
      fingerprint: FP,
      attempts: 2,
      started_at: "2026-01-02T03:00:00.000Z",
      finished_at: "2026-01-02T03:00:01.000Z",
      outputs: { validation_examples: 5, train_examples: 10 },
    },
  },
};

const sampleText = `# Written by tunefile: the state of each stage of this pipeline. Commit it.
# Hand edits are checked against schemas/lockfile.schema.json; delete a stage's record to rerun it.
version: 1
pipeline: elle
provider:
  kind: local
  base_url: http://127.0.0.1:4000/v1
stages:
  prepare:
    status: succeeded
    fingerprint: ${FP}
    attempts: 2
    started_at: 2026-01-02T03:00:00.000Z
    finished_at: 2026-01-02T03:00:01.000Z
    outputs:
      train_examples: 10
      validation_examples: 5
  train:
    status: running
    fingerprint: ${FP}
    attempts: 1
    started_at: 2026-01-02T03:04:05.000Z
    checkpoint:
      intent: create
      job_id: ftjob-1
`;

describe("lockfile format", () => {
  it("serializes to readable YAML with a stable key order, and parses back to the same state", () => {
    expect(serializeLockfile(sample)).toBe(sampleText);
    const parsed = parseLockfile(sampleText, "elle.lock.yaml");
    expect(parsed).toEqual({ ok: true, lockfile: sample });
  });

  it("a missing lockfile is an empty state", async () => {
    const dir = await tempDir();
    const read = await readLockfile(path.join(dir, "x.lock.yaml"), "x.lock.yaml", "x");
    expect(read).toEqual({ ok: true, existed: false, lockfile: { version: 1, pipeline: "x", stages: {} } });
  });
});

describe("lockfile refusal: corrupt, invalid or newer files get a located error and are never overwritten", () => {
  const cases: { name: string; text: string; rendered: string }[] = [
    {
      name: "broken YAML",
      text: "version: 1\npipeline: elle\nstages:\n  prepare: {status: succeeded\n",
      rendered: `elle.lock.yaml:5:1 error[lockfile-syntax] the lockfile is not valid YAML: Flow map in block collection must be sufficiently indented and end with a }
  |
5 |
  | ^
  = hint: tunefile never overwrites a lockfile it cannot read; fix it by hand or restore it from git
1 error
`,
    },
    {
      name: "a newer format version",
      text: "version: 2\npipeline: elle\nstages: {}\n",
      rendered: `elle.lock.yaml:1:10 error[lockfile-version] the lockfile has version 2, newer than this tunefile understands (1)
  |
1 | version: 2
  |          ^
  = hint: upgrade tunefile; the lockfile was left untouched
1 error
`,
    },
    {
      name: "a hand-edited status and an unknown key",
      text: `version: 1\npipeline: elle\nstages:\n  train:\n    status: done\n    fingerprint: ${FP}\n    attempts: 1\n    jobid: x\n`,
      rendered: `elle.lock.yaml:8:5 error[lockfile-invalid] the lockfile is invalid: unknown key \`jobid\` in stages.train
  |
8 |     jobid: x
  |     ^~~~~
  = hint: tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record
elle.lock.yaml:5:13 error[lockfile-invalid] the lockfile is invalid: stages.train.status must be one of pending, running, succeeded, failed, cancelled
  |
5 |     status: done
  |             ^~~~
  = hint: tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record
2 errors
`,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const dir = await tempDir();
      const file = path.join(dir, "elle.lock.yaml");
      await writeFile(file, c.text);
      const opened = await LockfileStore.open(file, "elle.lock.yaml", "elle");
      expect(opened.ok).toBe(false);
      if (opened.ok) return;
      const rendered = renderDiagnostics(opened.diagnostics, new Map([["elle.lock.yaml", c.text]]));
      expect(rendered).toBe(c.rendered);
      expect(await readFile(file, "utf8")).toBe(c.text);
      expect(await readdir(dir)).toEqual(["elle.lock.yaml"]);
    });
  }
});

describe("LockfileStore writes", () => {
  it("writes through atomically, leaves no temp files, and skips writes that change nothing", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "elle.lock.yaml");
    const opened = await LockfileStore.open(file, "elle.lock.yaml", "elle");
    if (!opened.ok) throw new Error("open failed");
    const store = opened.store;
    await Promise.all([
      store.putStage("train", sample.stages.train!),
      store.putStage("prepare", sample.stages.prepare!),
      store.setRunContext(sample.provider, {}),
    ]);
    expect(await readFile(file, "utf8")).toBe(sampleText);
    expect(await readdir(dir)).toEqual(["elle.lock.yaml"]);

    // An unchanged state is not rewritten: a fully fresh run leaves the file (and its mtime) alone.
    await writeFile(file, `${sampleText}# a comment a rewrite would drop\n`);
    await store.putStage("train", sample.stages.train!);
    expect(await readFile(file, "utf8")).toBe(`${sampleText}# a comment a rewrite would drop\n`);
  });

  it("a writer SIGKILLed at random instants always leaves a lockfile that parses", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "crash.lock.yaml");
    // The child rewrites the lockfile as fast as it can, with growing outputs, until it is killed.
    const script = `
      import { LockfileStore } from ${JSON.stringify(path.join(REPO_ROOT, "dist/engine/lockfile/store.js"))};
      const opened = await LockfileStore.open(${JSON.stringify(file)}, "crash.lock.yaml", "crash");
      const store = opened.store;
      for (let i = 0; ; i++) {
        await store.putStage("prepare", { status: "running", fingerprint: "${FP}", attempts: i + 1,
          checkpoint: { n: i, pad: "x".repeat(i % 5000) } });
        if (i === 20) process.stdout.write("ready\\n");
      }`;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + round * 37));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("close", r));
      const text = await readFile(file, "utf8");
      const parsed = parseLockfile(text, "crash.lock.yaml");
      expect(parsed.ok, text.slice(0, 200)).toBe(true);
    }
    // What a kill mid-write can leave behind is only ever a temp file, and the next run (under the lock) removes it.
    await removeOrphanedTemps(file);
    expect(await readdir(dir)).toEqual(["crash.lock.yaml"]);
  });
});

import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type SeededProject, seededProject } from "../helpers/project.js";

const PIPELINE = "pipelines/elle.yaml";
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

let project: SeededProject;
beforeAll(async () => {
  project = await seededProject();
});
afterAll(() => project.remove());

describe("tunefile status", () => {
  it("says so when nothing has run yet", async () => {
    const r = await runCli(["status", PIPELINE], { cwd: project.dir });
    expect(r).toMatchObject({
      code: 0,
      stdout:
        "pipelines/elle.lock.yaml: no runs recorded yet; `tunefile plan pipelines/elle.yaml` shows what run would do\n",
      stderr: "",
    });
    // The lockfile is named as run and plan name it (relative to the project), however the pipeline's path was typed.
    const absolute = await runCli(["status", `${project.dir}/${PIPELINE}`], { cwd: project.dir });
    expect(absolute.stdout).toMatch(/^pipelines\/elle\.lock\.yaml: no runs recorded yet;/);
  });

  it("shows each stage's status, attempts, times and key outputs from the lockfile", async () => {
    expect((await runCli(["run", PIPELINE, "--only", "prepare"], { cwd: project.dir })).code).toBe(0);
    const r = await runCli(["status", PIPELINE], { cwd: project.dir });
    expect(r.code).toBe(0);
    expect(
      r.stdout.replace(TIME, "YYYY-MM-DDTHH:MM:SS.sssZ"),
    ).toBe(`elle (pipelines/elle.lock.yaml), provider local local:.tunefile/local

stage     status     attempts  started                   finished
prepare   succeeded  1         YYYY-MM-DDTHH:MM:SS.sssZ  YYYY-MM-DDTHH:MM:SS.sssZ
upload    never run
train     never run
evaluate  never run
deploy    never run

  prepare: 10 train examples, 5 validation examples, estimated_cost_usd $0.0071
`);
  });

  it("--json prints the lockfile's state", async () => {
    const r = await runCli(["status", PIPELINE, "--json"], { cwd: project.dir });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({
      lockfile: "pipelines/elle.lock.yaml",
      exists: true,
      version: 1,
      pipeline: "elle",
      stages: { prepare: { status: "succeeded", attempts: 1 } },
    });
  });

  it("asks the provider where a detached training job is", async () => {
    const detached = await project.clone();
    try {
      const env = { TUNEFILE_LOCAL_STEP_MS: "100" };
      const run = await runCli(["run", PIPELINE, "--detach"], { cwd: detached.dir, env });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\nrun {6}detached: job ftjob-\w+/);
      const r = await runCli(["status", PIPELINE], { cwd: detached.dir, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^train {5}running \(in progress or interrupted\) {2}1 /m);
      expect(r.stdout).toMatch(/^ {2}train: checkpoint: job_id ftjob-\w+$/m);
      expect(r.stdout).toMatch(/^ {2}train: remote: (validating_files|queued|running|succeeded)\b/m);
      // The local provider trains only inside a tunefile process: status says an unfinished job waits for the next run.
      if (!/^ {2}train: remote: succeeded\b/m.test(r.stdout)) {
        expect(r.stdout).toContain("  train: the built-in local provider trains only while tunefile runs");
      }
      const json = JSON.parse((await runCli(["status", PIPELINE, "--json"], { cwd: detached.dir, env })).stdout);
      expect(json.remote.train.job_id).toBe(json.stages.train.checkpoint.job_id);
    } finally {
      await detached.remove();
    }
  });

  it("works when the pipeline itself no longer validates (it reads only the lockfile)", async () => {
    const broken = await project.clone();
    try {
      await writeFile(`${broken.dir}/pipelines/elle.yaml`, "version: 1\nname: [\n");
      const r = await runCli(["status", PIPELINE], { cwd: broken.dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("prepare   succeeded  1");
    } finally {
      await broken.remove();
    }
  });

  it("refuses a hand-edited invalid lockfile with the whole located error (exit 2)", async () => {
    const bad = await project.clone();
    try {
      await writeFile(bad.lockfile, "version: 1\npipeline: elle\nstages:\n  prepare:\n    status: ok\n");
      const r = await runCli(["status", PIPELINE], { cwd: bad.dir });
      expect(r.code).toBe(2);
      expect(
        r.stderr,
      ).toBe(`pipelines/elle.lock.yaml:4:3 error[lockfile-invalid] the lockfile is invalid: stages.prepare must have required property 'fingerprint'
  |
4 |   prepare:
  |   ^~~~~~~
  = hint: tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record
pipelines/elle.lock.yaml:4:3 error[lockfile-invalid] the lockfile is invalid: stages.prepare must have required property 'attempts'
  |
4 |   prepare:
  |   ^~~~~~~
  = hint: tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record
pipelines/elle.lock.yaml:5:13 error[lockfile-invalid] the lockfile is invalid: stages.prepare.status must be one of pending, running, succeeded, failed, cancelled
  |
5 |     status: ok
  |             ^~
  = hint: tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record
3 errors
`);
    } finally {
      await bad.remove();
    }
  });
});

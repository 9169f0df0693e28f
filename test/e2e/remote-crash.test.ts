import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lockedStages, lockfileText, remoteState, startCli, waitFor } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

/**
 * SIGKILL of the runner at the worst instants, then a rerun: it must re-attach to the same upload and the same job,
 * never pay for a second one. The local provider runs inside the runner, so the kill takes it down too; its state
 * under .tunefile/local is what the rerun's server resumes.
 */
const RUN = ["run", "pipelines/elle.yaml", "--yes"];

/** Persisted jobs only: write-file-atomic's half-written temp files (`ftjob-….json.NNN`) are not a job yet. */
async function jobFiles(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, ".tunefile/local/jobs")).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(".json"));
}

async function rerunAndCheckOneJob(root: string) {
  const rerun = await runCli(RUN, { cwd: root, timeoutMs: 120_000 });
  expect(rerun.stderr).not.toContain("internal error");
  expect(rerun.code).toBe(0);
  const train = (await lockedStages(root)).train;
  expect(train?.status).toBe("succeeded");
  const { jobs } = await remoteState(root);
  expect(jobs).toHaveLength(1);
  expect(jobs[0]?.status).toBe("succeeded");
  expect(train?.outputs?.job_id).toBe(jobs[0]?.id);
  expect(train?.outputs?.fine_tuned_model).toBe(jobs[0]?.fine_tuned_model);
  return { rerun, train };
}

describe("SIGKILL of the runner, then a rerun", () => {
  it("during a multipart upload: the rerun continues it and trains one job", async () => {
    // Tiny parts make the upload long enough to be caught in the middle.
    const root = await elleProject({ extra: "\nupload: { multipart_above_mb: 0.001, part_size_mb: 0.0005 }\n" });
    const run = startCli(RUN, { cwd: root });
    await waitFor(
      "a first part in the lockfile",
      async () => /part_ids:\n\s+- part_/.test(await lockfileText(root)),
      run,
    );
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    expect((await lockedStages(root)).upload?.status).toBe("running");
    expect(await jobFiles(root)).toEqual([]);

    await rerunAndCheckOneJob(root);
    const { files } = await remoteState(root);
    expect(files).toHaveLength(2);
  }, 180_000);

  it("just after the job was created: the rerun adopts it instead of creating another", async () => {
    const root = await elleProject();
    const run = startCli(RUN, { cwd: root, env: { TUNEFILE_LOCAL_STEP_MS: "200" } });
    // The instant the server has persisted the job, whether or not the runner has recorded its id yet.
    await waitFor("the job on the server", async () => (await jobFiles(root)).length > 0, run);
    run.child.kill("SIGKILL");
    await run.done;
    const before = (await lockedStages(root)).train;
    expect(before?.status).toBe("running");
    expect(before?.checkpoint?.intent).toBe("create");

    const { train } = await rerunAndCheckOneJob(root);
    const [jobFile] = await jobFiles(root);
    expect(`${String(train?.outputs?.job_id)}.json`).toBe(jobFile);
  }, 180_000);

  it("while monitoring: the rerun re-attaches to the running job", async () => {
    const root = await elleProject();
    const run = startCli(RUN, { cwd: root, env: { TUNEFILE_LOCAL_STEP_MS: "150" } });
    await waitFor("training steps", () => /^train {4}step \d+\/\d+/m.test(run.output().stdout), run);
    run.child.kill("SIGKILL");
    await run.done;
    const before = (await lockedStages(root)).train;
    expect(before?.status).toBe("running");
    const jobId = before?.checkpoint?.job_id;
    expect(jobId).toMatch(/^ftjob-/);

    const { rerun, train } = await rerunAndCheckOneJob(root);
    expect(train?.outputs?.job_id).toBe(jobId);
    expect(rerun.stdout).toMatch(/^train {4}resuming \(re-attaches to ftjob-\w+\)$/m);
    expect(rerun.stdout).toContain(`re-attached to ${String(jobId)}`);
  }, 180_000);
});

describe("Ctrl+C of the runner", () => {
  it("leaves the job running and the record running with its id; the rerun re-attaches", async () => {
    const root = await elleProject();
    const run = startCli(RUN, { cwd: root, env: { TUNEFILE_LOCAL_STEP_MS: "150" } });
    await waitFor("training steps", () => /^train {4}step \d+\/\d+/m.test(run.output().stdout), run);
    run.child.kill("SIGINT");
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    const before = (await lockedStages(root)).train;
    expect(before?.status).toBe("running");
    const jobId = before?.checkpoint?.job_id;
    expect(jobId).toMatch(/^ftjob-/);

    const { train } = await rerunAndCheckOneJob(root);
    expect(train?.outputs?.job_id).toBe(jobId);
  }, 180_000);
});

import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lockedStages, remoteState, runInProcess, startCli, waitFor } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

describe("tunefile cancel", () => {
  it("cancels the running job remotely and records the stage as cancelled; the next run trains anew", async () => {
    const root = await elleProject();
    // Slow steps: the job is still running when cancel arrives.
    const env = { TUNEFILE_LOCAL_STEP_MS: "2000" };
    await runInProcess(root, { env, detach: true });
    const jobId = (await lockedStages(root)).train?.checkpoint?.job_id as string;

    const cancelled = await runCli(["cancel", "pipelines/elle.yaml"], { cwd: root, env });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(
      `cancelled ${jobId}; train is recorded as cancelled (the next run starts a new job)\n`,
    );
    const train = (await lockedStages(root)).train;
    expect(train?.status).toBe("cancelled");
    expect(train?.error).toEqual({
      code: "cancelled",
      message: `the fine-tuning job ${jobId} was cancelled with tunefile cancel`,
    });
    expect((await remoteState(root)).jobs.map((j) => [j.id, j.status])).toEqual([[jobId, "cancelled"]]);

    const again = await runCli(["cancel", "pipelines/elle.yaml"], { cwd: root, env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`tunefile cancel: train is cancelled (job ${jobId}); nothing to cancel\n`);

    const rerun = await runInProcess(root);
    expect(rerun.result).toEqual({ kind: "completed" });
    const jobs = (await remoteState(root)).jobs.map((j) => j.status).sort();
    expect(jobs).toEqual(["cancelled", "succeeded"]);
  }, 60_000);

  it("while a run is watching the job: the job is cancelled and that run records it and exits 1", async () => {
    const root = await elleProject();
    // Slow steps, so the job is still running when cancel arrives even on a loaded machine: at 300 ms per step the
    // job could finish first while cancel's process was still starting (seen twice under a full parallel test run).
    const env = { TUNEFILE_LOCAL_STEP_MS: "1500" };
    const run = startCli(["run", "pipelines/elle.yaml", "--yes"], { cwd: root, env });
    await waitFor("training steps", () => /^train {4}step \d+\/\d+/m.test(run.output().stdout), run);
    const jobId = String((await lockedStages(root)).train?.checkpoint?.job_id);

    const cancelled = await runCli(["cancel", "pipelines/elle.yaml"], { cwd: root, env });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(
      new RegExp(
        `^cancelled ${jobId}; the running tunefile records it on its next poll: pipelines/elle.yaml is already running: locked by pid ${run.child.pid} on host [^ ]+ since [^;]+; that process is still running \\(heartbeat \\d+ s ago\\); the lock frees when it ends\n$`,
      ),
    );
    const watched = await run.done;
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain(
      `train    cancelled: cancelled: the fine-tuning job ${jobId} was cancelled; run again to start a new one`,
    );
    expect((await lockedStages(root)).train?.status).toBe("cancelled");
  }, 120_000);
});

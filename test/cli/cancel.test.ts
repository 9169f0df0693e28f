import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { elleProject, lockedStages, remoteState, runInProcess } from "../providers/harness.js";

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
});

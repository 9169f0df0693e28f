import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lockedStages, remoteState, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

describe("tunefile watch", () => {
  it("re-attaches to a detached job, follows it to the end and records the model", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_STEP_MS: "40" };
    const detached = await runInProcess(root, { env, detach: true });
    expect(detached.result.kind).toBe("detached");
    const jobId = (await lockedStages(root)).train?.checkpoint?.job_id;

    const watched = await runCli(["watch", "pipelines/elle.yaml"], { cwd: root, env });
    expect(watched.code).toBe(0);
    const train = (await lockedStages(root)).train;
    expect(train?.status).toBe("succeeded");
    expect(train?.outputs?.job_id).toBe(jobId);
    // `watch` is `run` resuming the train stage: the same lines, the other stages skipped.
    const model = String(train?.outputs?.fine_tuned_model);
    expect(watched.stdout).toContain(`\ntrain    resuming (re-attaches to ${jobId})\n`);
    expect(watched.stdout).toMatch(
      new RegExp(`^train {4}succeeded \\(job_id ${jobId}, fine_tuned_model ${model}, `, "m"),
    );
    expect(watched.stdout).toContain("\nevaluate skipped: not watched (`tunefile run` goes on with it)\n");
    expect(watched.stdout).toContain("\nrun      done: 1 stage(s) ran, 4 skipped\n");
    expect(watched.stderr).toBe(
      "provider: local (auto: OPENAI_API_KEY is not set; using the built-in offline provider); state in .tunefile/local\n",
    );
    expect(watched.stdout).toMatch(/^train {4}step \d+\/\d+, loss \d+\.\d{2}/m);
    expect((await remoteState(root)).jobs).toHaveLength(1);
  }, 60_000);

  it("says so when no job is recorded", async () => {
    const root = await elleProject();
    const watched = await runCli(["watch", "pipelines/elle.yaml"], { cwd: root });
    expect(watched.code).toBe(1);
    expect(watched.stderr).toBe(
      "provider: local (auto: OPENAI_API_KEY is not set; using the built-in offline provider); state in .tunefile/local\n" +
        "tunefile watch: no training job or evaluation batch is recorded for elle; `tunefile run pipelines/elle.yaml` starts one\n",
    );
  }, 30_000);

  it("refuses a job recorded on another provider", async () => {
    const root = await elleProject();
    await runInProcess(root, { env: { TUNEFILE_LOCAL_STEP_MS: "1000" }, detach: true });
    const watched = await runCli(["watch", "pipelines/elle.yaml"], {
      cwd: root,
      env: { OPENAI_API_KEY: "sk-test-0123456789abcdefgh" },
    });
    expect(watched.code).toBe(2);
    expect(watched.stderr).toMatch(
      /^provider: openai \(auto: OPENAI_API_KEY is set\) at https:\/\/api\.openai\.com\/v1\ntunefile watch: job ftjob-\w+ was created on local \(local:\.tunefile\/local\), not on openai \(https:\/\/api\.openai\.com\/v1\); choose that provider with --provider\n$/,
    );
    expect(watched.stderr).not.toContain("sk-test-0123456789abcdefgh");
  }, 30_000);
});

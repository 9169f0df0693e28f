import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/server/app.js";
import { runCli } from "../helpers/cli.js";
import { lockedStages, lockfileText, remoteState, startCli, waitFor } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

const RUN = ["run", "pipelines/elle.yaml", "--yes"];

describe("tunefile run on the local provider (no OPENAI_API_KEY)", () => {
  it("fine-tunes elle, records the model in the lockfile, and a second run skips every stage", async () => {
    const root = await elleProject();
    const first = await runCli(["run", "pipelines/elle.yaml"], { cwd: root, timeoutMs: 180_000 });
    expect(first.stderr).not.toContain("internal error");
    expect(first.code).toBe(0);
    expect(first.stderr.split("\n")[0]).toBe(
      "provider: local (auto: OPENAI_API_KEY is not set; using the built-in offline provider); state in .tunefile/local",
    );
    const stages = await lockedStages(root);
    const train = stages.train?.outputs as Record<string, unknown>;
    expect(train.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:local:elle:[A-Za-z0-9]{8}$/);
    expect(train.job_id).toMatch(/^ftjob-/);
    const lock = await lockfileText(root);
    expect(lock).toContain(`fine_tuned_model: ${String(train.fine_tuned_model)}`);
    expect(lock).toContain("provider:\n  kind: local\n  base_url: local:.tunefile/local\n");
    const metrics = await readFile(path.join(root, ".tunefile/elle/metrics.csv"), "utf8");
    expect(metrics.startsWith("step,train_loss,")).toBe(true);

    const second = await runCli(["run", "pipelines/elle.yaml"], { cwd: root, timeoutMs: 60_000 });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^\w+ +running\b/m);
    expect(second.stdout).toMatch(/^run {6}done: 0 stage\(s\) ran, 5 skipped$/m);
    expect(await lockfileText(root)).toBe(lock);
    expect((await remoteState(root)).jobs).toHaveLength(1);
  }, 240_000);

  it("a second run of the same pipeline at the same time is refused: locked by pid", async () => {
    const root = await elleProject();
    const first = startCli(RUN, { cwd: root, env: { TUNEFILE_LOCAL_STEP_MS: "100" } });
    await waitFor("the first run to hold the lock", () => /^prepare {2}running\b/m.test(first.output().stdout), first);
    const second = await runCli(RUN, { cwd: root });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`locked by pid ${first.child.pid}`);
    await first.done;
    // The first run's own outcome after training (evaluation's gate) is not this test's business.
    expect((await lockedStages(root)).train?.status).toBe("succeeded");
    expect((await remoteState(root)).jobs).toHaveLength(1);
  }, 180_000);

  it("--detach returns once the job exists; watch re-attaches and records the model", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_STEP_MS: "60" };
    const detached = await runCli([...RUN, "--detach"], { cwd: root, env, timeoutMs: 120_000 });
    expect(detached.code).toBe(0);
    const running = (await lockedStages(root)).train;
    expect(running?.status).toBe("running");
    const jobId = String(running?.checkpoint?.job_id);
    expect(detached.stdout).toContain(`train    detached: job ${jobId} is`);
    expect(detached.stdout).toMatch(/^evaluate skipped: not reached \(train is running detached\)$/m);

    const watched = await runCli(["watch", "pipelines/elle.yaml"], { cwd: root, env, timeoutMs: 120_000 });
    expect(watched.code).toBe(0);
    const train = (await lockedStages(root)).train;
    expect(train?.status).toBe("succeeded");
    expect(train?.outputs?.job_id).toBe(jobId);
    expect(watched.stdout).toContain(`fine_tuned_model ${String(train?.outputs?.fine_tuned_model)}`);
    expect(watched.stdout).toContain("\nrun      done: 1 stage(s) ran, 4 skipped\n");
  }, 240_000);

  it("a rejected key fails upload with the provider's message and the key appears nowhere", async () => {
    const root = await elleProject();
    const canary = "sk-canary-9f8e7d6c5b4a39281706";
    const service = await startLocalServer({ port: 0, stateDir: path.join(root, "service"), apiKey: "the-right-key" });
    try {
      const run = await runCli(RUN, {
        cwd: root,
        env: { OPENAI_API_KEY: canary, OPENAI_BASE_URL: service.url },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^upload {3}failed: invalid_api_key: 401 /m);
      for (const text of [run.stdout, run.stderr, await lockfileText(root)]) expect(text).not.toContain(canary);
    } finally {
      await service.close();
    }
  }, 120_000);

  it("missing credentials exit 2 and say exactly what to set", async () => {
    const root = await elleProject();
    const run = await runCli([...RUN, "--provider", "openai"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error[provider-credentials] provider openai needs an API key: set OPENAI_API_KEY\n" +
        "  = hint: or run offline with `--provider local`\n" +
        "1 error\n",
    );
    expect(await lockfileText(root)).toBe("");
  }, 60_000);
});

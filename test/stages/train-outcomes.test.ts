import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockedStages, plannedFingerprint, remoteState, runInProcess, withLocalClient } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

describe("train outcomes", () => {
  it("a job that fails records the provider's code and message, and the next run starts a new job", async () => {
    const root = await elleProject();
    expect((await runInProcess(root, { disable: ["train"] })).result).toEqual({ kind: "completed" });
    const fingerprint = await plannedFingerprint(root, "train");
    const upload = (await lockedStages(root)).upload?.outputs as { train_file_id: string };
    // A job made earlier for this very fingerprint (so the run adopts it) that the server fails on purpose.
    // Its server trains slowly, so the job is still young when the run's server takes it over.
    const doomed = await withLocalClient(
      root,
      (client) =>
        client.fineTuning.jobs.create({
          model: "gpt-4o-mini-2024-07-18",
          training_file: upload.train_file_id,
          metadata: {
            tunefile_pipeline: "elle",
            tunefile_stage: "train",
            tunefile_fingerprint: fingerprint,
            tunefile_fail: "training",
          },
        }),
      5_000,
    );
    const failed = await runInProcess(root, { env: { TUNEFILE_LOCAL_STEP_MS: "5" } });
    // Exactly the provider's code and message, as the job reports them.
    const remote = await withLocalClient(root, (client) => client.fineTuning.jobs.retrieve(doomed.id));
    expect(remote.status).toBe("failed");
    expect(failed.result).toEqual({
      kind: "failed",
      stage: "train",
      error: { code: remote.error?.code, message: remote.error?.message },
    });
    expect(remote.error?.code).toBe("internal_error");
    const record = (await lockedStages(root)).train;
    expect(record?.status).toBe("failed");
    expect(record?.checkpoint?.job_id).toBe(doomed.id);

    const again = await runInProcess(root);
    expect(again.result).toEqual({ kind: "completed" });
    const { jobs } = await remoteState(root);
    expect(jobs.map((j) => j.status).sort()).toEqual(["failed", "succeeded"]);
  }, 60_000);

  it("switching provider makes upload and train stale; prepare stays fresh", async () => {
    const root = await elleProject();
    expect((await runInProcess(root)).result).toEqual({ kind: "completed" });
    const before = await lockedStages(root);
    // Another service entirely: a second local server, reached as an openai-compatible provider.
    const { startLocalServer } = await import("../../src/server/app.js");
    const other = await startLocalServer({ port: 0, stateDir: `${root}/other-service` });
    try {
      const run = await runInProcess(root, {
        env: { OPENAI_BASE_URL: other.url, OPENAI_API_KEY: "other-service-key-123" },
        provider: "openai-compatible",
      });
      expect(run.result).toEqual({ kind: "completed" });
      const started = run.events
        .filter((e) => e.type === "stage-start")
        .map((e) => (e.type === "stage-start" ? e.stage : ""));
      expect(started).toEqual(["upload", "train"]);
      const after = await lockedStages(root);
      expect(after.prepare?.fingerprint).toBe(before.prepare?.fingerprint);
      expect(after.upload?.fingerprint).not.toBe(before.upload?.fingerprint);
      expect(after.train?.outputs?.job_id).not.toBe(before.train?.outputs?.job_id);
    } finally {
      await other.close();
    }
  }, 60_000);

  it("--detach returns once the job exists; the next run re-attaches to the same job", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_STEP_MS: "50" };
    const detached = await runInProcess(root, { env, detach: true });
    expect(detached.result.kind).toBe("detached");
    const record = (await lockedStages(root)).train;
    expect(record?.status).toBe("running");
    const jobId = record?.checkpoint?.job_id;
    expect(jobId).toMatch(/^ftjob-/);

    const resumed = await runInProcess(root, { env });
    expect(resumed.result).toEqual({ kind: "completed" });
    expect(resumed.events).toContainEqual({
      type: "stage-start",
      stage: "train",
      action: "resume",
      reason: expect.stringContaining(String(jobId)),
    });
    const after = await lockedStages(root);
    expect(after.train?.outputs?.job_id).toBe(jobId);
    expect((await remoteState(root)).jobs).toHaveLength(1);
  }, 60_000);

  it("--force trains again instead of adopting the succeeded job", async () => {
    const root = await elleProject();
    expect((await runInProcess(root)).result).toEqual({ kind: "completed" });
    const first = (await lockedStages(root)).train?.outputs?.job_id;
    expect((await runInProcess(root, { force: true })).result).toEqual({ kind: "completed" });
    const second = (await lockedStages(root)).train?.outputs?.job_id;
    expect(second).not.toBe(first);
    expect((await remoteState(root)).jobs).toHaveLength(2);
  }, 60_000);

  it("a recorded job that no longer exists (provider state deleted) is replaced, not a failure", async () => {
    const root = await elleProject();
    await runInProcess(root, { env: { TUNEFILE_LOCAL_STEP_MS: "1000" }, detach: true });
    const lost = (await lockedStages(root)).train?.checkpoint?.job_id;
    await rm(path.join(root, ".tunefile/local"), { recursive: true, force: true });
    const run = await runInProcess(root);
    expect(run.result).toEqual({ kind: "completed" });
    const { jobs } = await remoteState(root);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).not.toBe(lost);
    expect((await lockedStages(root)).train?.outputs?.job_id).toBe(jobs[0]?.id);
  }, 60_000);
});

describe("a trained model gone from the provider", () => {
  it("evaluate says so and how to train again; --from train --force does, and the run completes", async () => {
    const root = await elleProject({ smallEval: true });
    expect((await runInProcess(root, { allStages: true })).result).toEqual({ kind: "completed" });
    const model = String((await lockedStages(root)).train?.outputs?.fine_tuned_model);
    await withLocalClient(root, (client) => client.models.delete(model));
    // A changed prompt makes evaluate stale while train stays fresh: its record, not the provider, says so.
    const file = path.join(root, "pipelines/elle.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("Tell me about", "Tell me all about"));

    const stale = await runInProcess(root, { allStages: true });
    expect(stale.result).toMatchObject({ kind: "failed", stage: "evaluate" });
    const error = (await lockedStages(root)).evaluate?.error;
    expect(error?.code).toBe("model_not_found");
    expect(error?.message).toMatch(
      /: 404 The model `ft:[^`]+` does not exist or you do not have access to it; the model train recorded is gone from the provider \(.*\): `tunefile run pipelines\/elle.yaml --from train --force` trains it again \(a new job, paid for\)$/,
    );

    const again = await runInProcess(root, { allStages: true, selection: { from: "train" }, force: true });
    expect(again.result).toEqual({ kind: "completed" });
    expect((await lockedStages(root)).train?.outputs?.fine_tuned_model).not.toBe(model);
  }, 120_000);
});

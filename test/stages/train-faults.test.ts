import { describe, expect, it } from "vitest";
import { lockedStages, remoteState, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

describe("train under faults of the local provider", () => {
  it("a create whose response is lost is adopted, not repeated: one job", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_FAULTS: "rate=1,kinds=lost-create,paths=/fine_tuning/jobs" };
    const run = await runInProcess(root, { env });
    expect(run.result).toEqual({ kind: "completed" });
    const stages = await lockedStages(root);
    expect(stages.train?.checkpoint?.adopted).toBe(true);
    const { jobs } = await remoteState(root);
    expect(jobs.map((j) => j.id)).toEqual([stages.train?.outputs?.job_id]);
    const retries = run.events.filter((e) => e.type === "retry" && e.stage === "train");
    expect(retries.map((e) => (e.type === "retry" ? e.reason : ""))).toEqual([
      "fine_tuning.jobs.create: connection error (other side closed)",
    ]);
  }, 60_000);

  it("30% transient faults (429 with retry-after, 500, dropped connections) still give a completed run", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_FAULTS: "rate=0.3,seed=7,kinds=429|500|reset|lost-create" };
    const run = await runInProcess(root, { env });
    expect(run.result).toEqual({ kind: "completed" });
    expect(run.events.filter((e) => e.type === "retry").length).toBeGreaterThan(3);
    const stages = await lockedStages(root);
    expect(stages.train?.outputs?.fine_tuned_model).toMatch(/^ft:/);
    const { jobs, files } = await remoteState(root);
    expect(jobs).toHaveLength(1);
    expect(files).toHaveLength(2);
  }, 90_000);

  it("a permanent error stops at once with the provider's code and message", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_FAULTS: "rate=1,kinds=quota,paths=/files" };
    const run = await runInProcess(root, { env });
    expect(run.result).toEqual({
      kind: "failed",
      stage: "upload",
      error: {
        code: "insufficient_quota",
        message: "429 You exceeded your current quota, please check your plan and billing details.",
      },
    });
    expect(run.events.filter((e) => e.type === "retry")).toEqual([]);
  }, 60_000);
});

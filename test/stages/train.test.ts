import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockedStages, remoteState, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

describe("upload and train on the local provider", () => {
  it("trains elle, records the model, the cost and the metrics, and a rerun touches nothing", async () => {
    const root = await elleProject();
    const first = await runInProcess(root);
    expect(first.result).toEqual({ kind: "completed" });
    const stages = await lockedStages(root);
    expect(stages.upload?.status).toBe("succeeded");
    expect(stages.train?.status).toBe("succeeded");
    const train = stages.train?.outputs as Record<string, unknown>;
    expect(train.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:local:elle:/);
    expect(train.job_id).toMatch(/^ftjob-/);
    expect(train.trained_tokens).toBeGreaterThan(0);
    expect(train.actual_usd).toBeCloseTo(((train.trained_tokens as number) * 3) / 1_000_000, 6);
    expect((train.checkpoints as string[]).length).toBeGreaterThan(0);
    const csv = await readFile(path.join(root, ".tunefile/elle/metrics.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
    expect(first.events.some((e) => e.type === "stage-progress" && e.stage === "train" && e.step !== undefined)).toBe(
      true,
    );

    // Every event of the job is shown once, oldest first, however many polls saw it.
    const logs = first.events.flatMap((e) => (e.type === "stage-log" && e.stage === "train" ? [e.message] : []));
    expect(new Set(logs).size).toBe(logs.length);
    expect(logs.filter((m) => m.startsWith("Created fine-tuning job:"))).toHaveLength(1);
    expect(logs.indexOf("The job has successfully completed")).toBe(logs.length - 1);

    const second = await runInProcess(root);
    expect(second.result).toEqual({ kind: "completed" });
    expect(second.events.filter((e) => e.type === "stage-start")).toEqual([]);
    const remote = await remoteState(root);
    expect(remote.jobs.map((j) => j.id)).toEqual([train.job_id]);
    expect(remote.files).toHaveLength(2);
  }, 60_000);
});

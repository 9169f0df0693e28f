import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { resolveProvider } from "../../src/providers/resolve.js";
import { describeTrainingJob, recordedJob } from "../../src/stages/train-remote.js";
import { systemClock } from "../../src/core/clock.js";
import { lockedStages, runInProcess } from "./harness.js";
import { elleProject } from "../helpers/project.js";

describe("describeTrainingJob (for tunefile status)", () => {
  it("reports the recorded job's status and latest event; nothing for a record without a job", async () => {
    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_STEP_MS: "20" };
    await runInProcess(root, { env, detach: true });
    const record = (await lockedStages(root)).train;
    if (!record) throw new Error("no train record");
    const config: Pipeline = { version: 1, name: "elle", model: "gpt-4o-mini-2024-07-18", dataset: { train: "x" } };
    const choice = resolveProvider({ config, env, root });
    if (!choice.ok) throw new Error("no provider");
    const provider = await choice.connect();
    try {
      const opts = { signal: new AbortController().signal, env, clock: systemClock, pipeline: { config } };
      const status = await describeTrainingJob(provider, String(record.checkpoint?.job_id), opts);
      expect(status.job_id).toBe(record.checkpoint?.job_id);
      expect(["validating_files", "queued", "running", "succeeded"]).toContain(status.status);
      expect(status.latest).toEqual(expect.any(String));
      expect(recordedJob({ ...record, checkpoint: {} })).toBeUndefined();
    } finally {
      await provider.close();
    }
  }, 60_000);
});

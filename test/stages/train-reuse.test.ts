import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { elleProject } from "../helpers/project.js";
import { lockedStages, remoteState, runInProcess } from "../providers/harness.js";

const PIPELINE = "pipelines/elle.yaml";

/** Renames the training data file and points the pipeline at its new name: the bytes stay the same. */
async function renameTrainingData(root: string): Promise<void> {
  const yaml = path.join(root, PIPELINE);
  const text = await readFile(yaml, "utf8");
  const from = text.match(/train: (\S+)/)![1]!;
  const to = from.replace(/\.jsonl$/, "-renamed.jsonl");
  await rename(path.join(root, "pipelines", from), path.join(root, "pipelines", to));
  await writeFile(yaml, text.replace(`train: ${from}`, `train: ${to}`));
}

describe("train reuses a succeeded job that got the same request", () => {
  it("renaming the data file reruns prepare and upload but trains no second job; --force does", async () => {
    const root = await elleProject();
    expect((await runInProcess(root)).result).toEqual({ kind: "completed" });
    const first = await lockedStages(root);
    const jobId = first.train?.outputs?.job_id as string;
    await renameTrainingData(root);
    const plan = await runCli(["plan", PIPELINE], { cwd: root });
    expect(plan.stdout).toMatch(
      new RegExp(`^ {2}train +run +upstream prepare changed; reuses ${jobId} if upload gives the same files$`, "m"),
    );

    // prepare's fingerprint names its input files, so everything downstream is stale, and train made a second
    // job: the same files (upload reuses them by sha256), the same settings, paid for again.
    const again = await runInProcess(root);
    expect(again.result).toEqual({ kind: "completed" });
    const started = again.events.flatMap((e) => (e.type === "stage-start" ? [e.stage] : []));
    expect(started).toEqual(["prepare", "upload", "train"]);
    const logs = again.events.flatMap((e) => (e.type === "stage-log" && e.stage === "train" ? [e.message] : []));
    expect(logs).toContain(
      `reusing ${jobId}: it trained on the same files with the same settings (--force trains again)`,
    );
    const second = await lockedStages(root);
    expect(second.train?.fingerprint).not.toBe(first.train?.fingerprint);
    expect(second.train?.outputs).toEqual(first.train?.outputs);
    expect((await remoteState(root)).jobs.map((j) => j.id)).toEqual([jobId]);

    // Reused once, the record carries the request's hash, so a further rename reuses it again.
    await renameTrainingData(root);
    await runInProcess(root);
    expect((await remoteState(root)).jobs).toHaveLength(1);

    const forced = await runInProcess(root, { force: true, selection: { from: "train" } });
    expect(forced.result).toEqual({ kind: "completed" });
    expect((await remoteState(root)).jobs).toHaveLength(2);
  }, 120_000);

  it("a changed setting is a different request: a new job", async () => {
    const root = await elleProject();
    expect((await runInProcess(root)).result).toEqual({ kind: "completed" });
    const yaml = path.join(root, PIPELINE);
    await writeFile(yaml, (await readFile(yaml, "utf8")).replace(/n_epochs: \d+/, "n_epochs: 1"));
    expect((await runInProcess(root)).result).toEqual({ kind: "completed" });
    expect((await remoteState(root)).jobs).toHaveLength(2);
  }, 120_000);
});

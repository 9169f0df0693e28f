import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockedStages, remoteState, runInProcess, withLocalClient } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

function trainFileId(stages: Awaited<ReturnType<typeof lockedStages>>): unknown {
  return stages.upload?.outputs?.train_file_id;
}

const ONLY_UPLOAD = { disable: ["train" as const] };

describe("upload stage on the local provider", () => {
  it("sends a file above multipart_above_mb through the Uploads API in parts, byte for byte", async () => {
    const root = await elleProject({ extra: "\nupload: { multipart_above_mb: 0.001, part_size_mb: 0.002 }\n" });
    const run = await runInProcess(root, ONLY_UPLOAD);
    expect(run.result).toEqual({ kind: "completed" });
    const parts = run.events.filter((e) => e.type === "stage-progress" && e.stage === "upload" && e.step !== undefined);
    expect(parts.length).toBeGreaterThan(2);
    const stages = await lockedStages(root);
    const outputs = stages.upload?.outputs as { train_file_id: string };
    const local = await readFile(path.join(root, ".tunefile/elle/train.jsonl"), "utf8");
    const remote = await withLocalClient(root, async (client) =>
      (await client.files.content(outputs.train_file_id)).text(),
    );
    expect(remote).toBe(local);
    // Nothing of the finished multipart upload is left to resume.
    expect(stages.upload?.checkpoint?.parts).toEqual({});
  }, 60_000);

  it("keys files by content sha256 and records them for train", async () => {
    const root = await elleProject();
    await runInProcess(root, ONLY_UPLOAD);
    const stages = await lockedStages(root);
    const prepare = stages.prepare?.outputs as { train: { sha256: string }; validation: { sha256: string } };
    const upload = stages.upload?.outputs as {
      files: Record<string, { id: string; role: string; filename: string }>;
      train_file_id: string;
      validation_file_id: string;
    };
    expect(upload.files[prepare.train.sha256]).toMatchObject({
      id: upload.train_file_id,
      role: "train",
      filename: `elle-train-${prepare.train.sha256.slice(0, 12)}.jsonl`,
    });
    expect(upload.files[prepare.validation.sha256]).toMatchObject({
      id: upload.validation_file_id,
      role: "validation",
    });
  }, 60_000);

  it("a fresh upload whose remote file is gone is uploaded again; one that exists is reused", async () => {
    const root = await elleProject();
    await runInProcess(root, ONLY_UPLOAD);
    const firstId = trainFileId(await lockedStages(root));

    const fresh = await runInProcess(root, ONLY_UPLOAD);
    expect(fresh.events.filter((e) => e.type === "stage-start")).toEqual([]);

    await withLocalClient(root, (client) => client.files.delete(String(firstId)));
    const rerun = await runInProcess(root, ONLY_UPLOAD);
    expect(rerun.events).toContainEqual({
      type: "stage-skip",
      stage: "prepare",
      reason: expect.stringContaining("fresh"),
    });
    expect(rerun.events).toContainEqual({
      type: "stage-start",
      stage: "upload",
      action: "run",
      reason: "its outputs are gone or changed",
    });
    const secondId = trainFileId(await lockedStages(root));
    expect(secondId).not.toBe(firstId);
    expect((await remoteState(root)).files.map((f) => f.id)).toContain(secondId);
  }, 60_000);
});

describe("prepared files that are gone or changed", () => {
  it("a fresh clone (lockfile kept, .tunefile/ gone): prepare writes the same files again and upload sends them", async () => {
    const root = await elleProject();
    await runInProcess(root, ONLY_UPLOAD);
    const before = await lockedStages(root);
    await rm(path.join(root, ".tunefile"), { recursive: true, force: true });

    const rerun = await runInProcess(root, ONLY_UPLOAD);
    expect(rerun.result).toEqual({ kind: "completed" });
    const gone = "its outputs are gone or changed";
    expect(rerun.events).toContainEqual({ type: "stage-start", stage: "prepare", action: "run", reason: gone });
    expect(rerun.events).toContainEqual({ type: "stage-start", stage: "upload", action: "run", reason: gone });
    const after = await lockedStages(root);
    // Same bytes: the same sha256 and fingerprint, so nothing downstream of prepare goes stale because of it.
    expect(after.prepare?.outputs).toEqual(before.prepare?.outputs);
    expect(after.prepare?.fingerprint).toBe(before.prepare?.fingerprint);
    const local = await readFile(path.join(root, ".tunefile/elle/train.jsonl"), "utf8");
    const remote = await withLocalClient(root, async (client) =>
      (await client.files.content(String(trainFileId(after)))).text(),
    );
    expect(remote).toBe(local);
  }, 60_000);

  it("a prepared file edited by hand is written again before a rerun uses it", async () => {
    const root = await elleProject();
    await runInProcess(root, ONLY_UPLOAD);
    const file = path.join(root, ".tunefile/elle/train.jsonl");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("Elle", "Ella"));

    const rerun = await runInProcess(root, ONLY_UPLOAD);
    expect(rerun.events).toContainEqual({
      type: "stage-start",
      stage: "prepare",
      action: "run",
      reason: "its outputs are gone or changed",
    });
    expect(await readFile(file, "utf8")).toBe(original);
  }, 60_000);

  it("--only upload with the prepared file gone is refused: upstream of --only must be fresh", async () => {
    const root = await elleProject();
    await runInProcess(root, { ...ONLY_UPLOAD, selection: { only: "prepare" } });
    await rm(path.join(root, ".tunefile/elle/train.jsonl"));

    const run = await runInProcess(root, { ...ONLY_UPLOAD, selection: { only: "upload" } });
    expect(run.result).toMatchObject({
      kind: "plan-error",
      diagnostics: [
        {
          code: "upstream-stale",
          message: "cannot run --only upload: upstream stage prepare is not fresh (its outputs are gone or changed)",
        },
      ],
    });
    expect(run.events.filter((e) => e.type === "stage-start")).toEqual([]);
  }, 60_000);
});

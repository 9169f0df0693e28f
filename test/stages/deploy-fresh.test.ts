import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DeploymentFile } from "../../src/deploy/record.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

const PIPELINE = `version: 1
name: shipit
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
training:
  fine_tuned_model: ft:gpt-4o-mini-2024-07-18:acme:elle:abc
deploy:
  alias: prod
`;

const started = (events: { type: string; stage?: string }[]) =>
  events.flatMap((e) => (e.type === "stage-start" ? [e.stage] : []));

describe("deploy without evaluation", () => {
  it("ships the named model, stays fresh, and deploys again when the record file is gone", async () => {
    const root = await projectWith(PIPELINE);
    const file = path.join(root, "deployments/shipit.json");
    const first = await runEngine(root);
    expect(first.result).toEqual({ kind: "completed" });
    expect(started(first.events)).toEqual(["deploy"]);
    const record = JSON.parse(await readFile(file, "utf8")) as DeploymentFile;
    expect(record.current?.model).toBe("ft:gpt-4o-mini-2024-07-18:acme:elle:abc");

    const second = await runEngine(root);
    expect(started(second.events)).toEqual([]);

    await rm(file);
    const third = await runEngine(root);
    expect(started(third.events)).toEqual(["deploy"]);
    expect((JSON.parse(await readFile(file, "utf8")) as DeploymentFile).current?.model).toBe(
      "ft:gpt-4o-mini-2024-07-18:acme:elle:abc",
    );
  }, 120_000);
});

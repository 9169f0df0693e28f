import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type DeploymentFile, pushDeployment } from "../../src/deploy/record.js";
import { runCli } from "../helpers/cli.js";
import { projectWith } from "../helpers/project.js";

const PIPELINE = `version: 1
name: elle
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
deploy:
  alias: elle-production
`;

describe("tunefile rollback", () => {
  it("moves the alias back one step per call, records it, and refuses past the first deployment", async () => {
    const root = await projectWith(PIPELINE);
    let record = pushDeployment(undefined, "elle-production", "elle", {
      model: "ft:a",
      fingerprint: "f1",
      deployed_at: "2026-01-01T00:00:00.000Z",
    }).record;
    record = pushDeployment(record, "elle-production", "elle", {
      model: "ft:b",
      fingerprint: "f2",
      deployed_at: "2026-01-02T00:00:00.000Z",
    }).record;
    await mkdir(path.join(root, "deployments"), { recursive: true });
    const file = path.join(root, "deployments/elle.json");
    await writeFile(file, JSON.stringify(record));

    const r = await runCli(["rollback", "pipelines/p.yaml"], { cwd: root });
    expect(r).toMatchObject({ code: 0, stdout: "elle-production: ft:b → ft:a (deployments/elle.json)\n", stderr: "" });
    const after = JSON.parse(await readFile(file, "utf8")) as DeploymentFile;
    expect(after.current?.model).toBe("ft:a");
    expect(after.history).toEqual([]);
    expect(after.log.map((e) => e.action)).toEqual(["deploy", "deploy", "rollback"]);
    expect(after.log[2]).toMatchObject({ action: "rollback", from: "ft:b", to: "ft:a" });

    const again = await runCli(["rollback", "pipelines/p.yaml"], { cwd: root });
    expect(again).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "tunefile rollback: alias elle-production has no earlier deployment to roll back to (deployments/elle.json)\n",
    });
  });

  it("says so when nothing was deployed", async () => {
    const root = await projectWith(PIPELINE);
    const r = await runCli(["rollback", "pipelines/p.yaml"], { cwd: root });
    expect(r).toMatchObject({
      code: 1,
      stderr: "tunefile rollback: deployments/elle.json does not exist; nothing was deployed yet\n",
    });
  });
});

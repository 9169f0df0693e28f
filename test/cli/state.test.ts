import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DeploymentFile } from "../../src/deploy/record.js";
import { projectWith } from "../helpers/project.js";
import { runCli } from "../helpers/cli.js";

/** A pipeline that ships a named model: deploy runs without training, so two models are two quick deploys. */
const named = (model: string) => `version: 1
name: shipit
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
training:
  fine_tuned_model: ${model}
deploy:
  alias: prod
`;

const A = "ft:gpt-4o-mini-2024-07-18:acme:shipit:aaa";
const B = "ft:gpt-4o-mini-2024-07-18:acme:shipit:bbb";

describe("state after rollback", () => {
  it("status, plan and run say the alias points at the earlier model and deploy is not fresh; --from deploy ships again", async () => {
    const root = await projectWith(named(A));
    const file = path.join(root, "pipelines/p.yaml");
    const deployments = path.join(root, "deployments/shipit.json");
    expect((await runCli(["run", "pipelines/p.yaml"], { cwd: root })).code).toBe(0);
    await writeFile(file, named(B));
    expect((await runCli(["run", "pipelines/p.yaml"], { cwd: root })).code).toBe(0);
    const rolled = await runCli(["rollback", "pipelines/p.yaml"], { cwd: root });
    expect(rolled.stdout).toBe(`prod: ${B} → ${A} (deployments/shipit.json)\n`);

    const status = await runCli(["status", "pipelines/p.yaml"], { cwd: root });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^deploy +succeeded, not fresh \(rolled back\) /m);
    expect(status.stdout).toMatch(
      new RegExp(
        `^  alias: rolled back at \\S+: prod points at ${A}, not ${B} that the last deploy recorded; deploy is not fresh`,
        "m",
      ),
    );

    const json = JSON.parse((await runCli(["status", "pipelines/p.yaml", "--json"], { cwd: root })).stdout);
    expect(json.deploy.alias).toMatchObject({ kind: "moved", alias: "prod", model: A, recorded: B });

    const plan = await runCli(["plan", "pipelines/p.yaml"], { cwd: root });
    expect(plan.stdout).toMatch(
      new RegExp(`^  deploy +skip +not fresh, kept: rolled back at \\S+: prod points at ${A}`, "m"),
    );
    expect(plan.stdout).not.toMatch(/^ {2}deploy .*fresh \(fingerprint/m);

    // A plain run keeps the rollback (a decision, not drift) and says why instead of "fresh".
    const run = await runCli(["run", "pipelines/p.yaml"], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^deploy {3}skipped: not fresh, kept: rolled back at \\S+: prod points at ${A}`, "m"),
    );
    expect((JSON.parse(await readFile(deployments, "utf8")) as DeploymentFile).current?.model).toBe(A);

    const again = await runCli(["run", "pipelines/p.yaml", "--from", "deploy"], { cwd: root });
    expect(again.code).toBe(0);
    expect((JSON.parse(await readFile(deployments, "utf8")) as DeploymentFile).current?.model).toBe(B);
    const after = await runCli(["status", "pipelines/p.yaml"], { cwd: root });
    expect(after.stdout).toMatch(/^deploy +succeeded +\d/m);
    expect(after.stdout).toContain(`  alias: prod points at ${B}\n`);
  }, 120_000);
});

describe("state after a gate that is not met", () => {
  it("status shows deploy skipped by the gate, with the gate's reason", async () => {
    // The base model on the local provider never answers with this word, so the gate fails for a known reason.
    const root = await projectWith(`version: 1
name: gated
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
training:
  fine_tuned_model: gpt-4o-mini-2024-07-18
evaluation:
  candidates: [base]
  params: { temperature: 0, max_tokens: 20 }
  prompts:
    - user: "Tell me about Neon"
      assert: [ { icontains: "xylophone-quartz" } ]
  gate: { candidate: base, min_pass_rate: 1 }
deploy:
  alias: prod
`);
    const run = await runCli(["run", "pipelines/p.yaml"], { cwd: root, timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(100);
    const status = await runCli(["status", "pipelines/p.yaml"], { cwd: root });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^deploy +skipped \(gate not met\)/m);
    expect(status.stdout).toContain(
      "  deploy: skipped by the gate: evaluation gate not met: base pass rate 0.0% is below the minimum 100.0%\n",
    );
    expect(status.stdout).not.toContain("alias:");
    const json = JSON.parse((await runCli(["status", "pipelines/p.yaml", "--json"], { cwd: root })).stdout);
    expect(json.deploy).toEqual({
      alias: null,
      skipped_by_gate: "evaluation gate not met: base pass rate 0.0% is below the minimum 100.0%",
    });
  }, 120_000);
});

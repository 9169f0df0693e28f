import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { DeploymentFile } from "../../src/deploy/record.js";
import type { EvalResults } from "../../src/eval/types.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A fresh copy of the repository's elle pipeline and data, as a fresh clone would have it. */
async function elleClone(): Promise<string> {
  const root = await tempDir("tunefile-e2e-");
  await mkdir(path.join(root, "pipelines"), { recursive: true });
  await cp(path.join(REPO_ROOT, "pipelines/data"), path.join(root, "pipelines/data"), { recursive: true });
  await cp(path.join(REPO_ROOT, "pipelines/elle.yaml"), path.join(root, "pipelines/elle.yaml"));
  return root;
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, "utf8")) as T;

describe("elle end to end on the local provider", () => {
  it("trains, shows fine_tuned measurably ahead of base and few_shot, passes the gate and deploys", async () => {
    const root = await elleClone();
    const r = await runCli(["run", "pipelines/elle.yaml"], { cwd: root, timeoutMs: 240_000 });
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(0);

    const results = await readJson<EvalResults>(path.join(root, ".tunefile/elle/eval/results.json"));
    expect(results.candidates.map((c) => c.label)).toEqual(["base", "fine_tuned", "few_shot:3"]);
    expect(results.prompts).toHaveLength(10);
    const rate = (label: string) => results.summary.candidates.find((c) => c.label === label)!.pass.rate;
    // Measurably: fine_tuned's pass rate is higher and the paired test says it is no accident.
    expect(rate("fine_tuned")).toBeGreaterThan(rate("base"));
    const vsBase = results.summary.comparisons.find((c) => c.candidate === "fine_tuned" && c.baseline === "base")!;
    expect(vsBase.wins).toBeGreaterThan(vsBase.losses);
    expect(vsBase.p_value).toBeLessThanOrEqual(0.05);
    expect(results.summary.gate.status).toBe("passed");

    // The comparison is not decided in advance: few-shot turns change the base model's answers, and the base
    // model answers about each element (its answers differ even with the element's name masked).
    const output = (label: string, prompt: string) =>
      results.cells.find((c) => c.candidate === label && c.prompt === prompt)!.output ?? "";
    const differ = results.prompts.filter((p) => output("few_shot:3", p.id) !== output("base", p.id));
    expect(differ.length).toBeGreaterThanOrEqual(8);
    const masked = results.prompts.map((p) => {
      const element = String(p.vars.element);
      return output("base", p.id).replaceAll(element, "X").replaceAll(element.toLowerCase(), "x");
    });
    expect(new Set(masked).size).toBeGreaterThanOrEqual(8);
    // And it is held out: no evaluated element is asked about in the training data.
    const training = await readFile(path.join(root, "pipelines/data/elle/training-data.jsonl"), "utf8");
    for (const p of results.prompts) expect(training).not.toContain(`Tell me about ${String(p.vars.element)}"`);

    const report = await readFile(path.join(root, "reports/elle/report.md"), "utf8");
    expect(report).toContain("**Gate passed: fine_tuned may be deployed.**");
    for (const label of ["| base |", "| fine_tuned |", "| few_shot:3 |"]) expect(report).toContain(label);
    const html = await readFile(path.join(root, "reports/elle/report.html"), "utf8");
    expect(html).toContain('<table id="side-by-side">');
    expect(html).toContain('data-series="train loss"');

    const lock = parse(await readFile(path.join(root, "pipelines/elle.lock.yaml"), "utf8")) as {
      stages: Record<string, { status: string; outputs?: Record<string, unknown> }>;
    };
    const model = lock.stages.train?.outputs?.fine_tuned_model as string;
    expect(model).toMatch(/^ft:gpt-4o-mini-2024-07-18:local:elle:/);
    const deployments = await readJson<DeploymentFile>(path.join(root, "deployments/elle.json"));
    expect(deployments.alias).toBe("elle-production");
    expect(deployments.current?.model).toBe(model);
    expect(deployments.current?.evaluation?.gate.status).toBe("passed");

    // Editing one evaluation prompt: only that prompt is asked again (3 candidates → 3 new answers).
    const yaml = await readFile(path.join(root, "pipelines/elle.yaml"), "utf8");
    await writeFile(path.join(root, "pipelines/elle.yaml"), yaml.replace("Sodium]", "Helium]"));
    const edited = await runCli(["run", "pipelines/elle.yaml"], { cwd: root, timeoutMs: 120_000 });
    expect(edited.code).toBe(0);
    const after = await readJson<EvalResults>(path.join(root, ".tunefile/elle/eval/results.json"));
    expect(after.cells.filter((c) => !c.cached).map((c) => `${c.prompt} ${c.candidate}`)).toEqual([
      "tell-me-about-helium base",
      "tell-me-about-helium fine_tuned",
      "tell-me-about-helium few_shot:3",
    ]);
    // Same model, re-evaluated: the alias did not move, so the history did not grow.
    const redeployed = await readJson<DeploymentFile>(path.join(root, "deployments/elle.json"));
    expect(redeployed.current?.model).toBe(model);
    expect(redeployed.history).toEqual([]);

    // The gate failing (base must reach 50%, and it does not): exit 100, deploy skipped, the report says why.
    const failed = await runCli(["run", "pipelines/elle.yaml", "-S", "evaluation.gate.candidate=base"], {
      cwd: root,
      timeoutMs: 120_000,
    });
    expect(failed.code).toBe(100);
    const failedReport = await readFile(path.join(root, "reports/elle/report.md"), "utf8");
    expect(failedReport).toContain("**Gate NOT met: base is not deployed (exit code 100).**");
    expect(failedReport).toContain("- base pass rate 0.0% is below the minimum 50.0%");
    const unchanged = await readJson<DeploymentFile>(path.join(root, "deployments/elle.json"));
    expect(unchanged).toEqual(redeployed);
  }, 300_000);
});

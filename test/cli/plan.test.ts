import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type SeededProject, seededProject } from "../helpers/project.js";

const PIPELINE = "pipelines/elle.yaml";
const PROVIDER_LINE =
  "provider: local (auto: OPENAI_API_KEY is not set; using the built-in offline provider); state in .tunefile/local\n";

let project: SeededProject;
beforeAll(async () => {
  project = await seededProject();
});
afterAll(() => project.remove());

describe("tunefile plan", () => {
  it("shows every stage's action and reason, the data and cost estimate, the evaluation calls and the budget, and writes nothing", async () => {
    const r = await runCli(["plan", PIPELINE], { cwd: project.dir });
    expect(r.stderr).toBe(PROVIDER_LINE);
    expect(r.stdout).toBe(`plan for elle (pipelines/elle.yaml)

  prepare   run       never run
  upload    run       never run
  train     run       never run
  evaluate  run       never run
  deploy    run       never run

prepare:
  10 training examples, 5 validation examples, 786 training tokens
  estimated training cost: $0.0071 = 3 epochs (configured) × 786 billing tokens × $3.00 per 1M
  price source: https://platform.openai.com/docs/guides/fine-tuning, as of 2024-12-01

evaluate:
  10 prompts × 3 candidates = 30 chat completions (cached answers are not asked again)
  estimated evaluation cost: at most $0.0033 (every answer max_tokens long)
  30 chat completions, 0 from cache, 30 to ask

budget: estimated $0.01 of $2.00
`);
    expect(r.code).toBe(0);
    expect(await readdir(project.dir)).toEqual(["pipelines"]);
    expect((await readdir(`${project.dir}/pipelines`)).sort()).toEqual(["data", "elle.yaml"]);
  });

  it("--json gives the same plan as one object", async () => {
    const r = await runCli(["plan", PIPELINE, "--json"], { cwd: project.dir });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stages.map((s: { stage: string; action: string }) => `${s.stage}:${s.action}`)).toEqual([
      "prepare:run",
      "upload:run",
      "train:run",
      "evaluate:run",
      "deploy:run",
    ]);
    expect(plan.stages[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.provider).toEqual({ kind: "local", base_url: "local:.tunefile/local" });
    expect(plan.data).toMatchObject({ source: "analyzed", trainExamples: 10, validationExamples: 5 });
    // Training ($0.007074) plus the evaluation's upper bound.
    expect(plan.budget.max_usd).toBe(2);
    expect(plan.budget.estimated_usd).toBeCloseTo(0.007074 + plan.previews.evaluate.estimatedCostUsd, 9);
    expect(plan.budget.over).toBe(false);
  });

  it("after prepare ran: skip with the recorded numbers, and a changed setting is named", async () => {
    const ran = await runCli(["run", PIPELINE, "--only", "prepare"], { cwd: project.dir });
    expect(ran.code).toBe(0);
    const fresh = await runCli(["plan", PIPELINE], { cwd: project.dir });
    expect(fresh.stdout).toMatch(/^ {2}prepare {3}skip {6}fresh \(fingerprint [0-9a-f]{6} matches\)$/m);
    expect(fresh.stdout).toContain(
      "prepare (recorded by the last run):\n  10 training examples, 5 validation examples",
    );

    const changed = await runCli(["plan", PIPELINE, "-S", "training.hyperparameters.n_epochs=2"], { cwd: project.dir });
    expect(changed.stdout).toContain("  prepare   run       changed: config.n_epochs\n");
    expect(changed.stdout).toContain("estimated training cost: $0.0047 = 2 epochs (configured)");
  });

  it("a prepared file gone (a fresh clone: .tunefile/ is not committed) makes prepare run, as run would", async () => {
    const ran = await runCli(["run", PIPELINE, "--only", "prepare"], { cwd: project.dir });
    expect(ran.code).toBe(0);
    await rm(path.join(project.dir, ".tunefile/elle/validation.jsonl"));
    const gone = await runCli(["plan", PIPELINE], { cwd: project.dir });
    expect(gone.stdout).toContain("  prepare   run       its outputs are gone or changed\n");
    const only = await runCli(["run", PIPELINE, "--only", "upload"], { cwd: project.dir });
    expect(only).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "cannot run --only upload: upstream stage prepare is not fresh (its outputs are gone or changed)",
      ),
    });
    expect((await runCli(["run", PIPELINE, "--only", "prepare"], { cwd: project.dir })).code).toBe(0);
    const back = await runCli(["plan", PIPELINE], { cwd: project.dir });
    expect(back.stdout).toMatch(/^ {2}prepare {3}skip {6}fresh/m);
  });

  it("a provider without its settings is a usage error (exit 2) that does not echo the key", async () => {
    const r = await runCli(["plan", PIPELINE, "--provider", "openai-compatible"], {
      cwd: project.dir,
      env: { OPENAI_API_KEY: "sk-test-not-used" },
    });
    // openai-compatible needs a base_url: a usage error with exit 2, saying what to set.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[provider-/);
    expect(r.stderr).not.toContain("sk-test-not-used");
  });

  it("checks the pipeline against the provider --provider chooses, and settings it drops against none", async () => {
    // A pipeline written for auto, sent to Azure: Azure's rules apply (before, it planned, and run sent the batches).
    const azureEnv = {
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      AZURE_OPENAI_API_KEY: "k",
      OPENAI_API_VERSION: "2025-04-01-preview",
    };
    const azure = await runCli(["plan", PIPELINE, "--provider", "azure", "-S", "evaluation.mode=batch"], {
      cwd: project.dir,
      env: azureEnv,
    });
    expect(azure.code).toBe(2);
    expect(azure.stderr).toContain("<-S overrides>:1:1 error[unsupported-setting] tunefile does not send evaluation");
    expect(azure.stderr).toContain("error[azure-evaluation-settings]");
    // An Azure pipeline tried offline: its deployments map goes nowhere on the local provider, so it is not refused.
    const azurePipeline = "provider={kind: azure, deployments: {gpt-4o-mini-2024-07-18: base-mini}}";
    const local = await runCli(["plan", PIPELINE, "--provider", "local", "-S", azurePipeline], { cwd: project.dir });
    expect(local.stderr).toBe("provider: local (from --provider); state in .tunefile/local\n");
    expect(local.code).toBe(0);
    // An unknown kind is the one error, before the pipeline is checked against it.
    const unknown = await runCli(["plan", PIPELINE, "--provider", "bogus", "-S", "training.method=sft"], {
      cwd: project.dir,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error\[provider-unknown\] unknown provider `bogus` given with --provider\n/);
    expect(unknown.stderr).toContain("\n1 error");
  });

  it("estimates training with the default epochs of the provider --provider chooses", async () => {
    const together = ["--provider", "together", "-S", "model=meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"];
    const r = await runCli(["plan", PIPELINE, ...together, "-S", "training.hyperparameters={batch_size: 8}"], {
      cwd: project.dir,
      env: { TOGETHER_API_KEY: "together-key-not-used" },
    });
    expect(r.code).toBe(0);
    // Together trains 1 epoch when none is given; OpenAI's heuristic would have made it 10 for 10 examples.
    expect(r.stdout).toContain("; 1 epoch (auto: the provider's default) × 786 billing tokens\n");
  });

  it("a paid stage of unknown cost is over budget until the pipeline prices its model", async () => {
    const own = ["-S", "evaluation.candidates=[base, fine_tuned, {model: our-own-model}]"];
    const unpriced = await runCli(["plan", PIPELINE, ...own], { cwd: project.dir });
    expect(unpriced.code).toBe(0);
    expect(unpriced.stdout).toContain(
      "  estimated evaluation cost: unknown (no price for our-own-model; give it in `prices:`)\n",
    );
    expect(unpriced.stdout).toContain(
      "budget: the cost of evaluate is unknown (the rest: $0.0071), so budget.max_usd $2.00 cannot be checked",
    );
    const json = await runCli(["plan", PIPELINE, ...own, "--json"], { cwd: project.dir });
    expect(JSON.parse(json.stdout).budget).toMatchObject({ unpriced: ["evaluate"], over: true });
    // Priced by the pipeline (a model the catalog does not know is counted with o200k_base): within budget again.
    const priced = await runCli(["plan", PIPELINE, ...own, "-S", "prices={our-own-model: {input: 1, output: 2}}"], {
      cwd: project.dir,
    });
    expect(priced.stdout).toMatch(/^budget: estimated \$0\.\d+ of \$2\.00$/m);
  });

  it("a bad local-provider knob is a usage error that names the variable", async () => {
    const r = await runCli(["plan", PIPELINE], { cwd: project.dir, env: { TUNEFILE_LOCAL_BATCH_TOKENS: "many" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(TUNEFILE_LOCAL_BATCH_TOKENS) must be a non-negative integer, got "many"');
  });

  it("an invalid pipeline exits 2 with located diagnostics", async () => {
    const r = await runCli(["plan", PIPELINE, "-S", "training.method=sft"], { cwd: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[/);
    expect(r.stdout).toBe("");
  });
});

import { execFileSync, spawn } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/engine/events.js";
import { parseLockfile } from "../../src/engine/lockfile/parse.js";
import type { Lockfile } from "../../src/engine/lockfile/types.js";
import { runLockPath } from "../../src/core/lock.js";
import { BIN, runCli } from "../helpers/cli.js";
import { type SeededProject, seededProject } from "../helpers/project.js";

const PIPELINE = "pipelines/elle.yaml";
const STAGE_LINES = ["prepare", "upload", "train", "evaluate", "deploy"];

async function lockfileOf(p: SeededProject): Promise<Lockfile> {
  const parsed = parseLockfile(await readFile(p.lockfile, "utf8"), "elle.lock.yaml");
  if (!parsed.ok) throw new Error(`lockfile does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.lockfile;
}

/** One full run on the local provider seeds the tests that need a trained pipeline; each works on its own clone. */
let trained: SeededProject;
let firstRun: Awaited<ReturnType<typeof runCli>>;
const extra: SeededProject[] = [];

beforeAll(async () => {
  trained = await seededProject();
  firstRun = await runCli(["run", PIPELINE], { cwd: trained.dir, timeoutMs: 120_000 });
}, 150_000);

afterAll(async () => {
  await Promise.all([trained, ...extra].map((p) => p?.remove()));
});

async function clone(): Promise<SeededProject> {
  const p = await trained.clone();
  extra.push(p);
  return p;
}

describe("tunefile run", () => {
  it("runs elle end to end on the local provider, with plain lines when not on a terminal", async () => {
    expect(firstRun.stderr).toContain("provider: local (auto: OPENAI_API_KEY is not set");
    expect(firstRun.code).toBe(0);
    const lines = firstRun.stdout.split("\n");
    // Each stage starts once (with the plan's reason) and ends once; the plan itself adds no lines of its own. A
    // start line has the reason in brackets; a job's bare "running" status (a poll before its first step) does not.
    for (const s of STAGE_LINES) {
      expect(lines.filter((l) => l.startsWith(`${s.padEnd(9)}running (`))).toEqual([
        `${s.padEnd(9)}running (never run)`,
      ]);
      expect(lines.filter((l) => l.startsWith(`${s.padEnd(9)}succeeded`))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith(`${s.padEnd(9)}run: `) || l.startsWith(`${s.padEnd(9)}skip`))).toEqual(
        [],
      );
    }
    // The job's creation is said once: by the provider's own event, not again by tunefile.
    expect(lines.filter((l) => /^train {4}.*\bcreated\b.*ftjob-/i.test(l))).toHaveLength(1);
    // The run's last event line, then the end-of-run summary: the loss chart, the candidates and the gate.
    const end = lines.indexOf("run      done: 5 stage(s) ran, 0 skipped");
    expect(end).toBeGreaterThan(5);
    const summary = lines.slice(end + 1).join("\n");
    expect(summary).toMatch(/^\nTraining loss {2}\S+ {2}[\d.]+ → [\d.]+ over 30 steps\n/);
    expect(summary).toContain("\nEvaluation: 10 prompts × 3 candidates\n");
    expect(summary).toContain("\nGate passed: fine_tuned may be deployed.\n");
    expect(summary.endsWith("Report: reports/elle/report.md\n")).toBe(true);
    const lock = await lockfileOf(trained);
    expect(Object.fromEntries(Object.entries(lock.stages).map(([k, v]) => [k, [v.status, v.attempts]]))).toEqual({
      prepare: ["succeeded", 1],
      upload: ["succeeded", 1],
      train: ["succeeded", 1],
      evaluate: ["succeeded", 1],
      deploy: ["succeeded", 1],
    });
    expect(lock.stages.train?.outputs?.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
  });

  it("a second run skips every stage and leaves the lockfile byte for byte; --json is one event per line", async () => {
    const p = await clone();
    const before = await readFile(p.lockfile, "utf8");
    const r = await runCli(["run", PIPELINE, "--json"], { cwd: p.dir });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as RunEvent);
    expect(events.map((e) => ("stage" in e ? `${e.type} ${e.stage}` : e.type))).toEqual([
      "plan",
      ...STAGE_LINES.map((s) => `stage-skip ${s}`),
      "run-end",
    ]);
    expect(events.at(-1)).toEqual({ type: "run-end", exitCode: 0, message: "done: 0 stage(s) ran, 5 skipped" });
    expect(await readFile(p.lockfile, "utf8")).toBe(before);
  });

  it("its working state ignores itself in git, in a project whose .gitignore does not name it", async () => {
    const p = await clone();
    await rm(path.join(p.dir, ".gitignore"), { force: true });
    const git = (args: string[]) => execFileSync("git", args, { cwd: p.dir, encoding: "utf8" });
    git(["init", "-q"]);
    const untracked = git(["status", "--porcelain", "--untracked-files=all"]).split("\n");
    expect(untracked).toContain("?? pipelines/elle.lock.yaml");
    // Before, the first `git add -A` took the prepared data, the caches and the local provider's models with it.
    expect(untracked.filter((l) => l.includes(".tunefile/"))).toEqual([]);
  });

  it("a run started in another directory uses the root the lockfile records: nothing is stale, nothing lands there", async () => {
    const p = await clone();
    expect((await lockfileOf(p)).root).toBe("..");
    const before = await readFile(p.lockfile, "utf8");
    // Before the root was recorded, files were named relative to the working directory: every stage was stale
    // from pipelines/, and run would have trained again.
    const inside = await runCli(["run", "elle.yaml"], { cwd: path.join(p.dir, "pipelines") });
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain("run      done: 0 stage(s) ran, 5 skipped");
    const outside = await runCli(["plan", path.join(p.dir, PIPELINE)], { cwd: path.dirname(p.dir) });
    for (const stage of STAGE_LINES) expect(outside.stdout).toMatch(new RegExp(`^ {2}${stage} +skip +fresh`, "m"));
    expect(await readdir(path.join(p.dir, "pipelines"))).not.toContain(".tunefile");
    expect(await readFile(p.lockfile, "utf8")).toBe(before);
  });

  it("from another directory, messages name files as seen from there, and status finds the deployments", async () => {
    const p = await clone();
    const cwd = path.join(p.dir, "pipelines");
    const rerun = await runCli(["run", "elle.yaml", "--from", "evaluate"], { cwd });
    expect(rerun.code).toBe(0);
    // Outside the working directory, so shown whole; it was reports/elle/report.md, which is not there from pipelines/.
    const report = path.join(p.dir, "reports/elle/report.md");
    expect(rerun.stdout).toContain(`report: ${report}`);
    expect(rerun.stdout).toContain(`\nReport: ${report}\n`);
    // What is recorded stays relative to the root, wherever the run started.
    expect((await lockfileOf(p)).stages.evaluate?.outputs).toMatchObject({ report: "reports/elle/report.md" });
    // status looked for deployments/ under pipelines/ and said the alias file was missing.
    const status = await runCli(["status", "elle.yaml"], { cwd });
    expect(status.stdout).toMatch(/^ {2}alias: elle-production points at ft:/m);
    const data = path.join(cwd, "data/elle/training-data.jsonl");
    await writeFile(data, (await readFile(data, "utf8")).replace(/^\{/, "{x"));
    // They were named relative to the project root: pipelines/data/... does not exist from pipelines/.
    const validate = await runCli(["validate", "elle.yaml"], { cwd });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/^data\/elle\/training-data\.jsonl:1:2 error\[invalid-json\]/m);
    await writeFile(p.lockfile, `${await readFile(p.lockfile, "utf8")}  broken: [\n`);
    const plan = await runCli(["plan", "elle.yaml"], { cwd });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/^elle\.lock\.yaml:\d+:\d+ error\[lockfile-syntax\]/m);
  });

  it("a lockfile without a recorded root (an older tunefile's) takes the working directory, as before", async () => {
    const p = await clone();
    await writeFile(p.lockfile, (await readFile(p.lockfile, "utf8")).replace(/^root: \.\.\n/m, ""));
    expect((await lockfileOf(p)).root).toBeUndefined();
    const plan = await runCli(["plan", PIPELINE], { cwd: p.dir });
    for (const stage of STAGE_LINES) expect(plan.stdout).toMatch(new RegExp(`^ {2}${stage} +skip +fresh`, "m"));
    // The next write records it.
    expect((await runCli(["run", PIPELINE, "--from", "deploy"], { cwd: p.dir })).code).toBe(0);
    expect((await lockfileOf(p)).root).toBe("..");
  });

  it("provider: auto never switches away from recorded training on the environment alone (exit 2)", async () => {
    const p = await clone();
    const before = await readFile(p.lockfile, "utf8");
    // Trained on local without a key; a key set later made auto choose OpenAI, and run trained there, paid.
    const env = { OPENAI_API_KEY: "sk-test-not-a-real-key-123456", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    for (const command of ["plan", "run"]) {
      const r = await runCli([command, PIPELINE], { cwd: p.dir, env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "error[provider-switch] `provider: auto` chose openai (OPENAI_API_KEY is set), but the lockfile records training (succeeded) on local at local:.tunefile/local: running would train again on openai (a new, paid job) and replace that record",
      );
      expect(r.stderr).toContain("unset OPENAI_API_KEY to go on with local, or choose with `--provider openai`");
      expect(r.stderr).not.toContain("sk-test-not-a-real-key");
    }
    // A choice that does not come from the environment is taken as given: plan shows the retraining.
    const chosen = await runCli(["plan", PIPELINE, "--provider", "openai"], { cwd: p.dir, env });
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toMatch(/^ {2}train +run +changed: provider/m);
    expect(await readFile(p.lockfile, "utf8")).toBe(before);
  });

  it("switching provider makes upload and train (and what follows) stale, without contacting it", async () => {
    const p = await clone();
    const r = await runCli(["plan", PIPELINE, "--provider", "openai"], {
      cwd: p.dir,
      // Plan never connects: a dead loopback address proves no request is attempted, yet it is what switches.
      env: { OPENAI_API_KEY: "sk-test-not-used", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
    });
    expect(r.code).toBe(0);
    const table = r.stdout.split("\n").slice(2, 7).join("\n");
    expect(table.replace(/[0-9a-f]{6} matches/, "<fp> matches")).toBe(
      [
        "  prepare   skip      fresh (fingerprint <fp> matches)",
        "  upload    run       changed: provider",
        "  train     run       changed: provider",
        "  evaluate  run       changed: provider",
        "  deploy    run       upstream upload changed",
      ].join("\n"),
    );
  });

  it("--from evaluate reruns evaluate and deploy only", async () => {
    const p = await clone();
    const r = await runCli(["run", PIPELINE, "--from", "evaluate"], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("evaluate running (--from evaluate)\n");
    expect(r.stdout).toContain("train    skipped: fresh");
    const lock = await lockfileOf(p);
    expect([lock.stages.train?.attempts, lock.stages.evaluate?.attempts, lock.stages.deploy?.attempts]).toEqual([
      1, 2, 2,
    ]);
  });

  it("an Azure pipeline run with --provider local deploys the alias only, not to Azure, where the model is not", async () => {
    const p = await clone();
    const azure = [
      "-S",
      "provider={kind: azure}",
      "-S",
      "deploy.azure={subscription_id: s, resource_group: r, account: a}",
    ];
    const r = await runCli(["run", PIPELINE, "--provider", "local", ...azure], { cwd: p.dir });
    expect(r.stderr).toBe("provider: local (from --provider); state in .tunefile/local\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("train    skipped: fresh");
    expect(r.stdout).toContain("no Azure deployment: the model is on provider local");
    const lock = await lockfileOf(p);
    expect(lock.stages.deploy?.outputs).not.toHaveProperty("azure_deployment");
  });

  it("an evaluation gate that is not met exits 100 and does not deploy", async () => {
    const p = await clone();
    const before = (await lockfileOf(p)).stages.deploy;
    const r = await runCli(["run", PIPELINE, "-S", "evaluation.gate.candidate=base"], { cwd: p.dir });
    expect(r.code).toBe(100);
    expect(r.stdout).toMatch(/\nrun {6}evaluation gate not met: .+\n/);
    expect(r.stdout).toMatch(
      /\nGate NOT met: base is not deployed \(exit code 100\)\.\n[\s\S]*Report: reports\/elle\/report.md\n$/,
    );
    expect(r.stdout).toContain("deploy   skipped: not reached (evaluate stopped the pipeline: evaluation gate not met");
    const lock = await lockfileOf(p);
    expect(lock.stages.evaluate?.status).toBe("succeeded");
    expect(lock.stages.deploy).toEqual(before);
    expect(lock.overrides).toEqual({ "evaluation.gate.candidate": "base" });
    // status tells a deploy skipped by the gate from one never run, and says why.
    const status = await runCli(["status", PIPELINE], { cwd: p.dir });
    expect(status.stdout).toMatch(/^deploy +skipped \(gate not met\)/m);
    expect(status.stdout).toMatch(/^ {2}deploy: skipped by the gate: evaluation gate not met: .+$/m);
  });

  it("plan counts the cached answers and names the upload it reuses; --detach shows no earlier results", async () => {
    const p = await clone();
    // A new first element: one new prompt, so each candidate asks once and every other answer is cached.
    const file = path.join(p.dir, PIPELINE);
    await writeFile(file, (await readFile(file, "utf8")).replace(/element: \[\w+,/, "element: [Helium,"));
    const plan = await runCli(["plan", PIPELINE, "-S", "training.hyperparameters.n_epochs=4"], { cwd: p.dir });
    expect(plan.code, plan.stderr).toBe(0);
    const [, prompts, candidates] = /(\d+) prompts × (\d+) candidates/.exec(plan.stdout) ?? [];
    expect(prompts).toBeDefined();
    const total = Number(prompts) * Number(candidates);
    // Training again makes the fine-tuned answers new too: base and few-shot keep theirs, less the new prompt.
    const cached = (Number(candidates) - 1) * (Number(prompts) - 1);
    expect(plan.stdout).toContain(`  ${total} chat completions, ${cached} from cache, ${total - cached} to ask\n`);
    expect(plan.stdout).toMatch(/^ {2}upload +run +upstream prepare changed; reuses file-\w+ \(same sha256\)$/m);

    const detached = await runCli(["run", PIPELINE, "-S", "training.hyperparameters.n_epochs=4", "--detach"], {
      cwd: p.dir,
      env: { TUNEFILE_LOCAL_STEP_MS: "50" },
    });
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stdout).toMatch(/\nrun {6}detached: job ftjob-\w+ is \w+; .*trains the job again from step 1/);
    // Nothing was evaluated in this run: no loss chart, no evaluation table, no gate verdict from the earlier run.
    expect(detached.stdout).not.toMatch(/Training loss|Evaluation:|Gate passed|Gate NOT met|Report:/);
    const jobId = (await lockfileOf(p)).stages.train?.checkpoint?.job_id;
    const again = await runCli(["plan", PIPELINE, "-S", "training.hyperparameters.n_epochs=4"], { cwd: p.dir });
    expect(again.stdout).toMatch(new RegExp(`^ {2}train +resume +re-attaches to ${String(jobId)}$`, "m"));
  });

  it("refuses a corrupt lockfile with a located error (exit 2) and leaves it byte for byte", async () => {
    const p = await clone();
    const corrupt = `${(await readFile(p.lockfile, "utf8")).slice(0, 400)}\n  broken: [\n`;
    await writeFile(p.lockfile, corrupt);
    const r = await runCli(["run", PIPELINE], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pipelines\/elle\.lock\.yaml:\d+:\d+ error\[lockfile-syntax\] the lockfile is not valid YAML/m,
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace for user error
    expect(await readFile(p.lockfile, "utf8")).toBe(corrupt);
  });

  it("names a lockfile git could not merge once, with how to resolve it, and leaves it byte for byte", async () => {
    const p = await clone();
    const text = await readFile(p.lockfile, "utf8");
    const line = text.match(/^ {4}fingerprint: [0-9a-f]+$/m)![0];
    const other = line.replace(/[0-9a-f]{64}/, "0".repeat(64));
    const conflicted = text.replace(line, `<<<<<<< HEAD\n${line}\n=======\n${other}\n>>>>>>> other-branch`);
    await writeFile(p.lockfile, conflicted);
    const first = conflicted.split("\n").indexOf("<<<<<<< HEAD") + 1;
    const r = await runCli(["run", PIPELINE], { cwd: p.dir });
    expect(r.code).toBe(2);
    // The YAML parser alone reported each marker and each line between them as separate syntax errors.
    expect(r.stderr).toContain(
      `pipelines/elle.lock.yaml:${first}:1 error[lockfile-conflict] the lockfile has an unresolved git merge conflict (lines ${first}-${first + 4})`,
    );
    expect(r.stderr).toContain("git checkout --ours -- pipelines/elle.lock.yaml");
    expect(r.stderr).toMatch(/^1 error$/m);
    expect(await readFile(p.lockfile, "utf8")).toBe(conflicted);
  });

  it("refuses a lockfile from a newer tunefile (exit 2) and leaves it byte for byte", async () => {
    const p = await clone();
    const newer = (await readFile(p.lockfile, "utf8")).replace(/^version: 1$/m, "version: 7");
    await writeFile(p.lockfile, newer);
    const r = await runCli(["run", PIPELINE], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "pipelines/elle.lock.yaml:3:10 error[lockfile-version] the lockfile has version 7, newer than this tunefile understands (1)\n",
    );
    expect(await readFile(p.lockfile, "utf8")).toBe(newer);
  });

  it("refuses a second run of the same pipeline while the first holds the lock (exit 1)", async () => {
    const p = await clone();
    // The test process itself stands in for a live runner.
    const since = "2026-01-02T03:04:05.000Z";
    await writeFile(runLockPath(p.lockfile), JSON.stringify({ pid: process.pid, hostname: hostname(), since }));
    const r = await runCli(["run", PIPELINE], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `tunefile: pipelines/elle.yaml is already running: locked by pid ${process.pid} on host ${hostname()} since ${since}`,
    );
  });

  it("rejects bad flags with exit 2", async () => {
    const p = await clone();
    const bogus = await runCli(["run", PIPELINE, "--only", "bogus"], { cwd: p.dir });
    expect(bogus).toMatchObject({
      code: 2,
      stderr: "error: --only takes a stage name: prepare, upload, train, evaluate, deploy (got `bogus`)\n",
    });
    const both = await runCli(["run", PIPELINE, "--only", "train", "--from", "train"], { cwd: p.dir });
    expect(both).toMatchObject({ code: 2, stderr: "error: --only and --from cannot be used together\n" });
  });
});

describe("tunefile run from scratch", () => {
  it("trained on OpenAI, a shell without OPENAI_API_KEY does not replace that record with local training (exit 2)", async () => {
    const p = await seededProject();
    extra.push(p);
    // The local server stands in for OpenAI: the provider is openai (auto, with a key) at its URL.
    const { startLocalServer } = await import("../../src/server/app.js");
    const openai = await startLocalServer({ port: 0, stateDir: path.join(p.dir, "stand-in-for-openai") });
    try {
      const env = { OPENAI_API_KEY: "sk-test-stand-in-123456", OPENAI_BASE_URL: openai.url };
      const paid = await runCli(["run", PIPELINE, "--yes"], { cwd: p.dir, env, timeoutMs: 120_000 });
      expect(paid.code).toBe(0);
      const before = await readFile(p.lockfile, "utf8");
      const r = await runCli(["run", PIPELINE], { cwd: p.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `error[provider-switch] \`provider: auto\` chose local (OPENAI_API_KEY is not set), but the lockfile records training (succeeded) on openai at ${openai.url}: running would train again on local and replace that record`,
      );
      expect(r.stderr).toContain("set OPENAI_API_KEY to go on with openai, or choose with `--provider local`");
      expect(await readFile(p.lockfile, "utf8")).toBe(before);
      // Before, this run trained on local and deployed that model under the production alias.
      expect(JSON.parse(await readFile(path.join(p.dir, "deployments/elle.json"), "utf8"))).toMatchObject({
        current: { model: (await lockfileOf(p)).stages.train?.outputs?.fine_tuned_model },
      });
    } finally {
      await openai.close();
    }
  }, 150_000);

  it("refuses to start paid stages over budget without --yes (exit 1), and goes on with --yes", async () => {
    const p = await seededProject();
    extra.push(p);
    const r = await runCli(["run", PIPELINE, "-S", "budget.max_usd=0.001"], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("prepare  succeeded");
    expect(r.stdout).toContain(
      "upload   skipped: not run (the estimated cost $0.01 exceeds budget.max_usd $0.001; pass --yes to go on)\n",
    );
    expect((await lockfileOf(p)).stages.upload).toBeUndefined();

    const yes = await runCli(["run", PIPELINE, "-S", "budget.max_usd=0.001", "--yes"], {
      cwd: p.dir,
      timeoutMs: 120_000,
    });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain(
      "prepare  warn: the estimated cost $0.01 exceeds budget.max_usd $0.001; going on (--yes)\n",
    );
    expect((await lockfileOf(p)).stages.deploy?.status).toBe("succeeded");
  }, 150_000);

  it("prices prepare's recorded tokens at today's prices: a training price raised since then is over budget", async () => {
    const p = await seededProject();
    extra.push(p);
    expect((await runCli(["run", PIPELINE, "--only", "prepare"], { cwd: p.dir })).code).toBe(0);
    const price = (key: string, value: number) => ["-S", `prices.gpt-4o-mini-2024-07-18.${key}=${value}`];
    const r = await runCli(
      ["run", PIPELINE, ...price("input", 0.15), ...price("output", 0.6), ...price("training", 3000)],
      { cwd: p.dir },
    );
    expect(r.stdout).toContain("prepare  skipped: fresh");
    // 2,358 trained tokens at $3,000 per 1M are $7.07 (at the catalog's $3, $0.007), plus the evaluation's bound.
    expect(r.stdout).toMatch(
      /^upload {3}skipped: not run \(the estimated cost \$7\.\d\d exceeds budget\.max_usd \$2\.00/m,
    );
    expect(r.code).toBe(1);
  });

  it("refuses to ask a model of unknown price under a budget without --yes (exit 1)", async () => {
    const p = await clone();
    const own = ["-S", "evaluation.candidates=[base, fine_tuned, {model: our-own-model}]"];
    const refused = await runCli(["run", PIPELINE, ...own], { cwd: p.dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("evaluate skipped: not run (the cost of evaluate is unknown");
    expect((await lockfileOf(p)).stages.evaluate?.attempts).toBe(1);
  });

  it("--from on stale upstream work is refused before anything runs (exit 2)", async () => {
    const p = await seededProject();
    extra.push(p);
    const r = await runCli(["run", PIPELINE, "--from", "train"], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "error[upstream-stale] cannot run --from train: upstream stage prepare is not fresh (never run)\n",
    );
  });

  it("Ctrl+C during training exits 130, leaves the job recorded and running; the rerun resumes the same job", async () => {
    const p = await seededProject();
    extra.push(p);
    const env = { TUNEFILE_LOCAL_STEP_MS: "150" };
    const child = spawn(process.execPath, [BIN, "run", PIPELINE], {
      cwd: p.dir,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const interrupted = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Interrupt as soon as the job exists (its id is printed): the record must then hold it, and the job keep going.
    const sawJob = await new Promise<boolean>((resolve) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        if (/\ntrain {4}.*ftjob-\w+/.test(stdout)) resolve(true);
      });
      child.on("close", () => resolve(false));
    });
    expect(sawJob, `${stdout}\n${stderr}`).toBe(true);
    child.kill("SIGINT");
    expect(await interrupted).toBe(130);
    expect(stdout).toMatch(/\nrun {6}interrupted: the lockfile is consistent/);
    // The built-in provider stops training with this process: the message says so, and never that work goes on.
    expect(stdout).toContain("the next `tunefile run` or `tunefile watch` trains the job again from step 1");
    expect(stdout).not.toMatch(/keeps running|continues/);
    const lock = await lockfileOf(p);
    expect(lock.stages.train?.status).toBe("running");
    const jobId = lock.stages.train?.checkpoint?.job_id;
    expect(jobId).toMatch(/^ftjob-/);

    const rerun = await runCli(["run", PIPELINE], { cwd: p.dir, env, timeoutMs: 120_000 });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`train    resuming (re-attaches to ${String(jobId)})\n`);
    // A re-attach shows only events not shown before: the creation event the first run printed is not repeated.
    const created = stdout.split("\n").find((l) => l.includes("Created fine-tuning job"));
    expect(created, stdout).toBeDefined();
    expect(rerun.stdout).not.toContain(created);
    expect((await lockfileOf(p)).stages.train?.outputs?.job_id).toBe(jobId);
  }, 150_000);
});

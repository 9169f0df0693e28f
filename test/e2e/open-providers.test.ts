import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { startLocalServer } from "../../src/server/app.js";
import { runCli } from "../helpers/cli.js";
import { elleProject } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";
import { lockedStages } from "../providers/harness.js";

/** elle on the open-model providers, against the local server's dialects. */
describe("elle on Nebius (the local server's /nebius/v1)", () => {
  it("trains meta-llama/Meta-Llama-3.1-8B-Instruct with LoRA and records the fine-tuned model", async () => {
    const server = await startLocalServer({ port: 0, stateDir: await tempDir("nebius-") });
    try {
      const root = await elleProject();
      const file = path.join(root, "pipelines/elle.yaml");
      const doc = parseDocument(await readFile(file, "utf8"));
      doc.set("provider", { kind: "nebius", base_url: server.url.replace(/\/v1$/, "/nebius/v1") });
      doc.set("model", "meta-llama/Meta-Llama-3.1-8B-Instruct");
      doc.setIn(["training", "lora"], { r: 8, alpha: 16 });
      doc.setIn(["training", "hyperparameters"], { n_epochs: 2, learning_rate: 0.00002 });
      await writeFile(file, doc.toString());
      const key = "nb-test-0123456789";
      const run = await runCli(["run", "pipelines/elle.yaml", "--yes"], {
        cwd: root,
        env: { NEBIUS_API_KEY: key },
        timeoutMs: 120_000,
      });
      expect(run.stderr).not.toContain("internal error");
      expect(run.code).toBe(0);
      const train = (await lockedStages(root)).train;
      expect(train?.status).toBe("succeeded");
      expect(String(train?.outputs?.fine_tuned_model)).toMatch(/^ft:meta-llama\/Meta-Llama-3\.1-8B-Instruct:/);
      expect(run.stdout + run.stderr).not.toContain(key);
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe("elle on Together (the local server's /together/v1)", () => {
  it("trains meta-llama/Meta-Llama-3.1-8B-Instruct-Reference, records the model, and reports it beside an OpenAI model", async () => {
    const server = await startLocalServer({ port: 0, stateDir: await tempDir("together-") });
    try {
      const root = await elleProject();
      const file = path.join(root, "pipelines/elle.yaml");
      const doc = parseDocument(await readFile(file, "utf8"));
      doc.set("provider", { kind: "together", base_url: server.url.replace(/\/v1$/, "/together/v1") });
      doc.set("model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
      doc.setIn(["training", "lora"], { r: 8, alpha: 16 });
      doc.setIn(["training", "hyperparameters"], { n_epochs: 2 });
      // The model a team has today on OpenAI (here: the same server's OpenAI routes), compared in the same report.
      doc.setIn(
        ["evaluation", "candidates"],
        ["base", "fine_tuned", { model: "gpt-4o-mini-2024-07-18", label: "openai-today", provider: "openai" }],
      );
      await writeFile(file, doc.toString());
      const env = {
        TOGETHER_API_KEY: "tg-test-0123456789",
        OPENAI_API_KEY: "sk-test-0123456789",
        OPENAI_BASE_URL: server.url,
      };
      const run = await runCli(["run", "pipelines/elle.yaml", "--yes"], { cwd: root, env, timeoutMs: 120_000 });
      expect(run.stderr).not.toContain("internal error");
      expect(run.code).toBe(0);
      const train = (await lockedStages(root)).train;
      expect(train?.status).toBe("succeeded");
      // The tag travels in the suffix: elle-<first 8 of the fingerprint>.
      expect(String(train?.outputs?.fine_tuned_model)).toMatch(
        /^ft:meta-llama\/Meta-Llama-3\.1-8B-Instruct-Reference:local:elle-[0-9a-f]{8}:/,
      );
      // A rerun skips every stage, and a run after the record is lost adopts the job instead of training again.
      const again = await runCli(["run", "pipelines/elle.yaml", "--yes", "--from", "train"], {
        cwd: root,
        env,
        timeoutMs: 120_000,
      });
      expect(again.code).toBe(0);
    } finally {
      await server.close();
    }
  }, 240_000);

  it("tunefile cancel: Together answers cancel_requested; train is recorded as cancelled and the next run trains anew", async () => {
    // Slow steps: the job is still running when cancel arrives.
    const server = await startLocalServer({ port: 0, stateDir: await tempDir("together-"), stepMs: 2000 });
    try {
      const root = await elleProject();
      const file = path.join(root, "pipelines/elle.yaml");
      const doc = parseDocument(await readFile(file, "utf8"));
      doc.set("provider", { kind: "together", base_url: server.url.replace(/\/v1$/, "/together/v1") });
      doc.set("model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
      doc.setIn(["training", "hyperparameters"], { n_epochs: 1 });
      await writeFile(file, doc.toString());
      const env = { TOGETHER_API_KEY: "tg-test-0123456789" };
      const detached = await runCli(["run", "pipelines/elle.yaml", "--yes", "--detach"], { cwd: root, env });
      expect(detached.code).toBe(0);
      const jobId = (await lockedStages(root)).train?.checkpoint?.job_id as string;

      const cancelled = await runCli(["cancel", "pipelines/elle.yaml"], { cwd: root, env });
      expect(cancelled.stdout).toBe(
        `cancel requested for ${jobId} (cancel_requested); train is recorded as cancelled (the next run starts a new job)\n`,
      );
      expect(cancelled.code).toBe(0);
      expect((await lockedStages(root)).train?.status).toBe("cancelled");

      const rerun = await runCli(["run", "pipelines/elle.yaml", "--yes", "--detach"], { cwd: root, env });
      expect(rerun.code).toBe(0);
      const next = (await lockedStages(root)).train?.checkpoint?.job_id as string;
      expect(next).toMatch(/^ft/);
      expect(next).not.toBe(jobId);
    } finally {
      await server.close();
    }
  }, 120_000);
});

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

import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/paths.js";
import OpenAI from "openai";
import { ELLE_TRAIN, startTestServer, uploadFile } from "./server-fixture.js";

/** The official together-ai SDK (CommonJS, in a child process) against the local server's /together/v1. */
function runSdk(base: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = path.join(REPO_ROOT, "test/server/together/sdk.cjs");
  const data = path.join(REPO_ROOT, "pipelines/data/elle/training-data.jsonl");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, base, data], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", TOGETHER_API_BASE_URL: base },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("local provider: the Together dialect", () => {
  it("the together-ai SDK uploads, creates a job, follows it to completed, lists events and chats with model_output_name", async () => {
    const server = await startTestServer();
    try {
      const run = await runSdk(server.url.replace(/\/v1$/, "/together/v1"));
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const seen = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(seen).toMatchObject({ created: "pending", status: "completed" });
      expect(seen.bytes).toBeGreaterThan(0);
      expect(String(seen.model)).toMatch(/^ft:meta-llama\/Meta-Llama-3\.1-8B-Instruct-Reference:local:sdk:/);
      expect(seen.events).toBeGreaterThan(3);
      expect(String(seen.answer).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("trains a LoRA adapter when training_type is left out, and refuses Full where the model takes adapters only", async () => {
    const server = await startTestServer();
    try {
      const file = await uploadFile(new OpenAI({ baseURL: server.url, apiKey: "k", maxRetries: 0 }), ELLE_TRAIN);
      const create = (extra: Record<string, unknown>) =>
        fetch(`${server.url.replace(/\/v1$/, "/together/v1")}/fine-tunes`, {
          method: "POST",
          headers: { authorization: "Bearer k", "content-type": "application/json" },
          body: JSON.stringify({
            model: "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
            training_file: file.id,
            ...extra,
          }),
        });
      const full = await create({ training_type: { type: "Full" } });
      expect(full.status).toBe(400);
      expect(((await full.json()) as { error: { param: string } }).error.param).toBe("training_type");
      const adapter = await create({});
      expect(adapter.status).toBe(200);
      expect(((await adapter.json()) as { status: string }).status).toBe("pending");
    } finally {
      await server.close();
    }
  }, 60_000);
});

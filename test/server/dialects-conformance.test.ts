import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { OpenApiResponses } from "./openapi-schemas.js";
import { ELLE_TRAIN, startTestServer, uploadFile, waitForJob } from "./server-fixture.js";

/**
 * Nebius Token Factory's API is OpenAI's shape: every response the local server gives under `/nebius/v1` must
 * conform to openapi.yaml as the `/v1` ones do, with Nebius's model names and hyperparameters in the requests.
 */
describe("local provider: the Nebius dialect conforms to openapi.yaml", () => {
  it("validates files, a LoRA job, its events and checkpoints, models and chat under /nebius/v1", async () => {
    const server = await startTestServer({ stepMs: 2 });
    const log: { method: string; path: string; status: number; contentType: string; body: string }[] = [];
    const base = server.url.replace(/\/v1$/, "/nebius/v1");
    const client = new OpenAI({
      baseURL: base,
      apiKey: "nebius-key",
      maxRetries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        if (url.href.startsWith(base)) {
          log.push({
            method: (init?.method ?? "GET").toUpperCase(),
            path: url.pathname.slice(new URL(base).pathname.length),
            status: response.status,
            contentType: response.headers.get("content-type") ?? "",
            body: await response.clone().text(),
          });
        }
        return response;
      },
    });
    try {
      const file = await uploadFile(client, ELLE_TRAIN);
      const job = await client.fineTuning.jobs.create({
        model: "meta-llama/Meta-Llama-3.1-8B-Instruct",
        training_file: file.id,
        // Nebius's own hyperparameters, passed as its API takes them.
        hyperparameters: {
          n_epochs: 2,
          learning_rate: 0.00002,
          lora: true,
          lora_r: 8,
        } as OpenAI.FineTuning.JobCreateParams.Hyperparameters,
      });
      const done = await waitForJob(client, job.id);
      expect(done.status).toBe("succeeded");
      await client.fineTuning.jobs.listEvents(job.id, { limit: 5 });
      await client.fineTuning.jobs.checkpoints.list(job.id);
      await client.models.retrieve("meta-llama/Meta-Llama-3.1-8B-Instruct");
      await client.chat.completions.create({
        model: done.fine_tuned_model ?? "",
        messages: [{ role: "user", content: "Tell me about Neon" }],
        max_tokens: 16,
      });
      const schemas = new OpenApiResponses();
      const problems: string[] = [];
      for (const r of log) {
        const v = schemas.validatorFor(r.method, r.path, r.status, r.contentType);
        if (!v) {
          problems.push(`${r.method} ${r.path} ${r.status}: no response schema`);
          continue;
        }
        if (!v.validate(JSON.parse(r.body)))
          problems.push(`${r.method} ${r.path} vs ${v.name}: ${JSON.stringify(v.validate.errors?.slice(0, 2))}`);
      }
      expect(log.length).toBeGreaterThan(6);
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});

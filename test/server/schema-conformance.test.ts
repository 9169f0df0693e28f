import { readFile } from "node:fs/promises";
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { OpenApiResponses } from "./openapi-schemas.js";
import { ELLE_TRAIN, ELLE_VALID, startTestServer, uploadText, waitForBatch, waitForJob } from "./server-fixture.js";

interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** Every response a client sees, recorded through the SDK's `fetch` option (and raw fetches below). */
function recordingFetch(log: Recorded[], base: string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    // The SDK also fetches a `data:` URL to probe FormData support; only the server's responses count.
    if (!url.href.startsWith(base)) return response;
    const body = await response.clone().text();
    log.push({
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname.slice(new URL(base).pathname.length),
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      body,
    });
    return response;
  };
}

/** The endpoints of issue 3 (method + openapi.yaml path template); each must be exercised and validated. */
const ENDPOINTS = [
  "POST /files",
  "GET /files",
  "GET /files/{file_id}",
  "DELETE /files/{file_id}",
  "GET /files/{file_id}/content",
  "POST /uploads",
  "POST /uploads/{upload_id}/parts",
  "POST /uploads/{upload_id}/complete",
  "POST /uploads/{upload_id}/cancel",
  "POST /fine_tuning/jobs",
  "GET /fine_tuning/jobs",
  "GET /fine_tuning/jobs/{fine_tuning_job_id}",
  "POST /fine_tuning/jobs/{fine_tuning_job_id}/cancel",
  "POST /fine_tuning/jobs/{fine_tuning_job_id}/pause",
  "POST /fine_tuning/jobs/{fine_tuning_job_id}/resume",
  "GET /fine_tuning/jobs/{fine_tuning_job_id}/events",
  "GET /fine_tuning/jobs/{fine_tuning_job_id}/checkpoints",
  "GET /models",
  "GET /models/{model}",
  "DELETE /models/{model}",
  "POST /chat/completions",
  "POST /batches",
  "GET /batches",
  "GET /batches/{batch_id}",
  "POST /batches/{batch_id}/cancel",
  "POST /responses",
  "GET /responses/{response_id}",
];

function template(method: string, path: string): string {
  const t = path
    .replace(/^\/files\/file-[^/]+/, "/files/{file_id}")
    .replace(/^\/uploads\/upload_[^/]+/, "/uploads/{upload_id}")
    .replace(/^\/fine_tuning\/jobs\/ftjob-[^/]+/, "/fine_tuning/jobs/{fine_tuning_job_id}")
    .replace(/^\/batches\/batch_[^/]+/, "/batches/{batch_id}")
    .replace(/^\/responses\/resp_[^/]+/, "/responses/{response_id}")
    .replace(/^\/models\/.+/, "/models/{model}");
  return `${method} ${t}`;
}

describe("local provider: every response conforms to openapi.yaml", () => {
  it("validates files, uploads, jobs, events, checkpoints, models, chat (plain and SSE) and errors", async () => {
    const server = await startTestServer({ stepMs: 5, batchMs: 20 });
    const log: Recorded[] = [];
    const client = new OpenAI({
      baseURL: server.url,
      apiKey: "test",
      maxRetries: 0,
      fetch: recordingFetch(log, server.url),
    });
    try {
      // Files and uploads.
      const training = await client.files.create({
        file: await toFile(await readFile(ELLE_TRAIN), "train.jsonl"),
        purpose: "fine-tune",
      });
      const validation = await client.files.create({
        file: await toFile(await readFile(ELLE_VALID), "valid.jsonl"),
        purpose: "fine-tune",
      });
      await client.files.list({ purpose: "fine-tune", limit: 1 });
      await client.files.retrieve(training.id);
      await (await client.files.content(training.id)).text();
      const upload = await client.uploads.create({
        bytes: 6,
        filename: "u.jsonl",
        mime_type: "text/jsonl",
        purpose: "fine-tune",
      });
      const p1 = await client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from("abc"), "p") });
      const p2 = await client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from("def"), "p") });
      const completed = await client.uploads.complete(upload.id, { part_ids: [p1.id, p2.id] });
      await client.files.delete(completed.file?.id ?? "");
      const abandoned = await client.uploads.create({
        bytes: 1,
        filename: "x.jsonl",
        mime_type: "text/jsonl",
        purpose: "fine-tune",
      });
      await client.uploads.cancel(abandoned.id);

      // A job that succeeds, one that fails validation, one paused, resumed and cancelled.
      const job = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: training.id,
        validation_file: validation.id,
        method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3 } } },
        metadata: { run: "conformance" },
      });
      const done = await waitForJob(client, job.id);
      expect(done.status).toBe("succeeded");
      await client.fineTuning.jobs.list({ limit: 2, metadata: { run: "conformance" } });
      await client.fineTuning.jobs.listEvents(job.id, { limit: 5 });
      const checkpoints = await client.fineTuning.jobs.checkpoints.list(job.id);

      const bad = await uploadText(client, '{"messages": []}\n', "bad.jsonl");
      const failing = await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: bad.id });
      expect((await waitForJob(client, failing.id)).status).toBe("failed");

      const longJob = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: training.id,
        hyperparameters: { n_epochs: 50 },
      });
      await waitForJob(client, longJob.id, new Set(["running"]));
      await client.fineTuning.jobs.pause(longJob.id);
      await client.fineTuning.jobs.resume(longJob.id);
      await client.fineTuning.jobs.cancel(longJob.id);

      // Batches: one that completes, one cancelled while in progress.
      const line = (id: string) =>
        JSON.stringify({
          custom_id: id,
          method: "POST",
          url: "/v1/chat/completions",
          body: { model: "gpt-4o-mini", messages: [{ role: "user", content: `Tell me about ${id}` }], max_tokens: 8 },
        });
      const input = await client.files.create({
        file: await toFile(Buffer.from(`${line("neon")}\n${line("argon")}\n`), "batch.jsonl"),
        purpose: "batch",
      });
      const batch = await client.batches.create({
        input_file_id: input.id,
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
        metadata: { run: "conformance" },
      });
      await waitForBatch(client, batch.id, "completed");
      const many = await client.files.create({
        file: await toFile(
          Buffer.from(`${Array.from({ length: 200 }, (_, i) => line(`q${i}`)).join("\n")}\n`),
          "many.jsonl",
        ),
        purpose: "batch",
      });
      const long = await client.batches.create({
        input_file_id: many.id,
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
      });
      await client.batches.cancel(long.id);
      await waitForBatch(client, long.id, "cancelled");
      await client.batches.list({ limit: 5 });

      // Responses: text, then JSON under a schema; the SDK's output_text works on both.
      const text = await client.responses.create({
        model: "gpt-4o-mini",
        input: "Tell me about Neon",
        max_output_tokens: 16,
      });
      expect(text.output_text.length).toBeGreaterThan(0);
      const structured = await client.responses.create({
        model: "gpt-4o-mini",
        instructions: "Answer as JSON.",
        input: [{ role: "user", content: "Tell me about Argon" }],
        text: {
          format: {
            type: "json_schema",
            name: "element",
            strict: true,
            schema: {
              type: "object",
              properties: { name: { type: "string" }, noble: { type: "boolean" } },
              required: ["name", "noble"],
              additionalProperties: false,
            },
          },
        },
      });
      expect(Object.keys(JSON.parse(structured.output_text))).toEqual(["name", "noble"]);
      await client.responses.retrieve(structured.id);

      // Models and chat.
      await client.models.list();
      await client.models.retrieve("gpt-4o-mini");
      await client.models.retrieve(done.fine_tuned_model ?? "");
      const messages = [{ role: "user" as const, content: "Tell me about Neon" }];
      await client.chat.completions.create({
        model: done.fine_tuned_model ?? "",
        messages,
        max_tokens: 30,
        n: 2,
        temperature: 0.7,
        seed: 1,
      });
      await client.chat.completions.create({
        model: checkpoints.data[1]?.fine_tuned_model_checkpoint ?? "",
        messages,
        max_completion_tokens: 20,
      });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 20,
      });
      for await (const _chunk of stream) {
        // drained; the recorder has the SSE text
      }
      await client.models.delete(done.fine_tuned_model ?? "");

      // Errors.
      await expect(client.files.retrieve("file-doesnotexist")).rejects.toThrow(
        /No such File object: file-doesnotexist/,
      );
      await expect(client.models.retrieve("ft:gpt-4o-mini-2024-07-18:local::nothere0")).rejects.toThrow(
        /does not exist/,
      );
      await expect(client.fineTuning.jobs.create({ model: "gpt-2", training_file: training.id })).rejects.toThrow(
        /not available/,
      );
      const unauthorised = await fetch(`${server.url}/models`);
      log.push({
        method: "GET",
        path: "/models",
        status: unauthorised.status,
        contentType: unauthorised.headers.get("content-type") ?? "",
        body: await unauthorised.text(),
      });
      expect(unauthorised.status).toBe(401);

      const schemas = new OpenApiResponses();
      const problems: string[] = [];
      const covered = new Set<string>();
      for (const r of log) {
        covered.add(template(r.method, r.path));
        if (r.path.endsWith("/content") && r.status === 200) {
          // The spec declares `type: string` for file content: raw bytes, checked as text.
          expect(typeof r.body).toBe("string");
          continue;
        }
        const v = schemas.validatorFor(r.method, r.path, r.status, r.contentType);
        if (!v) {
          problems.push(
            `${r.method} ${r.path} ${r.status}: no response schema in openapi.yaml (${r.body.slice(0, 200)})`,
          );
          continue;
        }
        const bodies = r.contentType.startsWith("text/event-stream") ? sseChunks(r.body) : [JSON.parse(r.body)];
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) {
          // Documented exception: openapi.yaml's job status enum lacks `paused`, although its own pause example
          // returns it. Such a job is validated as if running, and `paused` checked here.
          const checked =
            body?.object === "fine_tuning.job" && body.status === "paused" ? { ...body, status: "running" } : body;
          if (!v.validate(checked)) {
            problems.push(
              `${r.method} ${r.path} ${r.status} vs ${v.name}: ${JSON.stringify(v.validate.errors?.slice(0, 3))}`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
      // The validators do reject wrong shapes (so an empty problem list means something).
      expect(schemas.named("#/components/schemas/FineTuningJob").validate({ ...done, status: "done" })).toBe(false);
      expect(schemas.named("#/components/schemas/OpenAIFile").validate({ ...training, bytes: "10" })).toBe(false);
      expect(ENDPOINTS.filter((e) => !covered.has(e))).toEqual([]);
      expect(log.some((r) => r.path.endsWith("/pause") && JSON.parse(r.body).status === "paused")).toBe(true);
    } finally {
      await server.close();
    }
  });
});

function sseChunks(text: string): unknown[] {
  return text
    .split("\n\n")
    .map((block) => block.replace(/^data: /, "").trim())
    .filter((data) => data !== "" && data !== "[DONE]")
    .map((data) => JSON.parse(data));
}

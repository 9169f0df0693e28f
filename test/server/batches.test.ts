import { AzureOpenAI, toFile } from "openai";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { startTestServer, uploadText, waitForBatch } from "./server-fixture.js";

const line = (id: string, body: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    custom_id: id,
    method: "POST",
    url: "/v1/chat/completions",
    body: {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Tell me about ${id}` }],
      max_tokens: 8,
      ...body,
    },
    ...extra,
  });

async function batchOf(client: OpenAI, lines: string[], metadata?: Record<string, string>) {
  const file = await client.files.create({
    file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "input.jsonl"),
    purpose: "batch",
  });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
    ...(metadata ? { metadata } : {}),
  });
}

async function lines(client: OpenAI, id: string | null | undefined): Promise<Record<string, unknown>[]> {
  if (!id) return [];
  const text = await (await client.files.content(id)).text();
  return text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("local provider: batches", () => {
  it("answers every request once, in the real output and error line formats, with request counts", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const created = await batchOf(client, [line("neon"), line("argon"), line("bad", { temperature: 7 })], {
        run: "r1",
      });
      expect(created).toMatchObject({ status: "validating", metadata: { run: "r1" }, completion_window: "24h" });
      const done = await waitForBatch(client, created.id, "completed");
      expect(done.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
      const output = await lines(client, done.output_file_id);
      expect(output.map((l) => l.custom_id).sort()).toEqual(["argon", "neon"]);
      for (const l of output) {
        const response = l.response as { status_code: number; body: { object: string; choices: unknown[] } };
        expect(response.status_code).toBe(200);
        expect(response.body.object).toBe("chat.completion");
        expect(l.error).toBeNull();
      }
      const errors = await lines(client, done.error_file_id);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        custom_id: "bad",
        response: { status_code: 400, body: { error: { code: "decimal_out_of_range", param: "temperature" } } },
      });
      const listed = await client.batches.list({ limit: 10 });
      expect(listed.data.map((b) => b.id)).toContain(created.id);
      expect(listed.data.find((b) => b.id === created.id)?.metadata).toEqual({ run: "r1" });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("fails a batch whose input does not validate, with the documented codes and lines", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const failed = await batchOf(client, [
        line("a"),
        line("a"),
        "{not json",
        line("b", {}, { url: "/v1/embeddings" }),
        line("c", { model: "gpt-4.1-mini" }),
      ]);
      const done = await waitForBatch(client, failed.id, "failed");
      expect(done.errors?.data?.map((e) => [e.code, e.line])).toEqual([
        ["duplicate_custom_id", 2],
        ["invalid_json_line", 3],
        ["url_mismatch", 4],
        ["model_mismatch", 5],
      ]);
      const empty = await batchOf(client, [""]);
      expect((await waitForBatch(client, empty.id, "failed")).errors?.data?.[0]?.code).toBe("empty_file");
      const tuning = await uploadText(client, `${line("x")}\n`);
      await expect(
        client.batches.create({ input_file_id: tuning.id, endpoint: "/v1/chat/completions", completion_window: "24h" }),
      ).rejects.toMatchObject({ status: 400 });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("a batch in progress when the server stops finishes after it starts again", async () => {
    const first = await startTestServer({ batchMs: 50 });
    const { client } = first;
    const many = Array.from({ length: 40 }, (_, i) => line(`q${i}`));
    const created = await batchOf(client, many);
    await waitFor(
      async () => {
        const b = await client.batches.retrieve(created.id);
        return b.status === "in_progress" && (b.request_counts?.completed ?? 0) > 2 ? b : undefined;
      },
      { what: "the batch to be in progress", timeoutMs: 20_000, intervalMs: 20 },
    );
    await first.close();
    const second = await startTestServer({ stateDir: first.stateDir });
    try {
      const done = await waitForBatch(second.client, created.id, "completed");
      expect(done.request_counts).toEqual({ total: 40, completed: 40, failed: 0 });
      const output = await lines(second.client, done.output_file_id);
      expect(new Set(output.map((l) => l.custom_id)).size).toBe(40);
    } finally {
      await second.close();
    }
  }, 60_000);

  it("serves Azure's /openai routes with the same code (AzureOpenAI client)", async () => {
    const server = await startTestServer();
    try {
      const endpoint = server.url.replace(/\/v1$/, "");
      const azure = new AzureOpenAI({ endpoint, apiKey: "azure-key", apiVersion: "2024-10-21", maxRetries: 0 });
      const created = await batchOf(azure, [line("neon")], { via: "azure" });
      const done = await waitForBatch(azure, created.id, "completed");
      expect(done.request_counts).toEqual({ total: 1, completed: 1, failed: 0 });
      expect((await lines(azure, done.output_file_id))[0]).toMatchObject({ custom_id: "neon" });
    } finally {
      await server.close();
    }
  }, 60_000);
});

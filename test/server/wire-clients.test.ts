import { readFile } from "node:fs/promises";
import { AzureOpenAI, toFile } from "openai";
import { systemClock } from "../../src/core/clock.js";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { ELLE_TRAIN, startTestServer, uploadFile, waitForJob } from "./server-fixture.js";

/**
 * What a non-Node client sends. The Python SDK's notebook flow (`client.files.create(file=open(path, "rb"),
 * purpose="fine-tune")`, `fine_tuning.jobs.create(...)`, `list_events`, `retrieve`, chat) goes through httpx: the
 * upload is multipart with a `purpose` field and a `file` part named after the file's basename with
 * `Content-Type: application/octet-stream`; everything else is JSON or a query string, same paths as Node.
 */
function httpxStyleMultipart(fields: Record<string, string>, file: { field: string; name: string; data: Buffer }) {
  const boundary = "7b5c9e4f0a1d4c2e8f3b6a9d1e0c5f7a";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
        "Content-Type: application/octet-stream\r\n\r\n",
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("local provider: other clients on the wire", () => {
  it("serves the Python notebook flow sent as raw HTTP (hand-built multipart, JSON, query strings)", async () => {
    const server = await startTestServer();
    try {
      const auth = { authorization: "Bearer sk-notebook" };
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(res.headers.get("content-type")).toBe("application/json");
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };

      const data = await readFile(ELLE_TRAIN);
      const upload = httpxStyleMultipart(
        { purpose: "fine-tune" },
        { field: "file", name: "training-data.jsonl", data },
      );
      const created = await fetch(`${server.url}/files`, {
        method: "POST",
        headers: { ...auth, "content-type": upload.contentType },
        body: upload.body,
      });
      expect(created.status).toBe(200);
      const file = (await created.json()) as { id: string; bytes: number; filename: string; purpose: string };
      expect(file).toMatchObject({ bytes: data.length, filename: "training-data.jsonl", purpose: "fine-tune" });
      const stored = await fetch(`${server.url}/files/${file.id}/content`, { headers: auth });
      expect(Buffer.from(await stored.arrayBuffer()).equals(data)).toBe(true);

      const job = await call("POST", "/fine_tuning/jobs", { training_file: file.id, model: "gpt-3.5-turbo" });
      expect(job.status).toBe(200);
      const id = job.json.id as string;
      const status = await waitFor(
        async () => {
          const s = (await call("GET", `/fine_tuning/jobs/${id}`)).json.status;
          return s === "succeeded" || s === "failed" ? s : undefined;
        },
        { what: `job ${id} to finish`, timeoutMs: 30_000, intervalMs: 50 },
      );
      expect(status).toBe("succeeded");
      const events = await call("GET", `/fine_tuning/jobs/${id}/events?limit=10`);
      expect((events.json.data as { message: string }[])[0]?.message).toBe("The job has successfully completed");
      const model = (await call("GET", `/fine_tuning/jobs/${id}`)).json.fine_tuned_model as string;
      const chat = await call("POST", "/chat/completions", {
        model,
        messages: [
          {
            role: "system",
            content:
              "Elle is a factual chatbot that answers questions about elements in the periodic table with a limerick",
          },
          { role: "user", content: "Tell me about Strontium" },
        ],
      });
      expect(chat.status).toBe(200);
      expect(chat.json.object).toBe("chat.completion");

      const missingPurpose = httpxStyleMultipart({}, { field: "file", name: "t.jsonl", data });
      const rejected = await fetch(`${server.url}/files`, {
        method: "POST",
        headers: { ...auth, "content-type": missingPurpose.contentType },
        body: missingPurpose.body,
      });
      expect(rejected.status).toBe(400);
      expect(await rejected.json()).toEqual({
        error: {
          message: "Missing required parameter: 'purpose'.",
          type: "invalid_request_error",
          param: "purpose",
          code: null,
        },
      });
    } finally {
      await server.close();
    }
  });

  it("assembles uploads in part_ids order, checks the byte count, and refuses parts after cancel", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const text = (await readFile(ELLE_TRAIN, "utf8")).trim();
      const half = Math.floor(text.length / 2);
      const [a, b] = [Buffer.from(text.slice(0, half)), Buffer.from(text.slice(half))];
      const upload = await client.uploads.create({
        bytes: a.length + b.length,
        filename: "elle.jsonl",
        mime_type: "text/jsonl",
        purpose: "fine-tune",
      });
      expect(upload).toMatchObject({ status: "pending", object: "upload" });
      expect(upload.id).toMatch(/^upload_/);
      const pb = await client.uploads.parts.create(upload.id, { data: await toFile(b, "b") });
      const pa = await client.uploads.parts.create(upload.id, { data: await toFile(a, "a") });
      expect(pa.id).toMatch(/^part_/);
      await expect(client.uploads.complete(upload.id, { part_ids: [pa.id] })).rejects.toMatchObject({ status: 400 });
      const done = await client.uploads.complete(upload.id, { part_ids: [pa.id, pb.id] });
      expect(done.status).toBe("completed");
      const content = await (await client.files.content(done.file?.id ?? "")).text();
      expect(content).toBe(text);
      const job = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: done.file?.id ?? "",
        hyperparameters: { n_epochs: 1 },
      });
      expect((await waitForJob(client, job.id)).status).toBe("succeeded");

      const other = await client.uploads.create({
        bytes: 3,
        filename: "x.jsonl",
        mime_type: "text/jsonl",
        purpose: "fine-tune",
      });
      expect((await client.uploads.cancel(other.id)).status).toBe("cancelled");
      await expect(
        client.uploads.parts.create(other.id, { data: await toFile(Buffer.from("abc"), "p") }),
      ).rejects.toMatchObject({ status: 400 });
    } finally {
      await server.close();
    }
  });

  it("expires uploads after an hour and files after expires_after seconds", async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs), sleep: systemClock.sleep };
    const server = await startTestServer({ clock });
    try {
      const { client } = server;
      const file = await client.files.create({
        file: await toFile(Buffer.from("{}\n"), "e.jsonl"),
        purpose: "fine-tune",
        expires_after: { anchor: "created_at", seconds: 3600 },
      });
      expect(file.expires_at).toBe(file.created_at + 3600);
      const upload = await client.uploads.create({
        bytes: 3,
        filename: "x.jsonl",
        mime_type: "text/jsonl",
        purpose: "fine-tune",
      });
      expect(upload.expires_at).toBe(upload.created_at + 3600);
      offsetMs = 3601_000;
      await expect(
        client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from("abc"), "p") }),
      ).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining("'expired'"),
      });
    } finally {
      await server.close();
    }
  });

  it("accepts Azure clients: api-key header, deployments by PUT (plain and ARM path), chat through a deployment", async () => {
    const server = await startTestServer();
    try {
      const file = await uploadFile(server.client, ELLE_TRAIN);
      const job = await waitForJob(
        server.client,
        (
          await server.client.fineTuning.jobs.create({
            model: "gpt-35-turbo-0125",
            training_file: file.id,
            hyperparameters: { n_epochs: 2 },
          })
        ).id,
      );
      const root = server.url.replace(/\/v1$/, "");
      const deployment = {
        sku: { name: "developertier", capacity: 1 },
        properties: { model: { format: "OpenAI", name: job.fine_tuned_model, version: "1" } },
      };
      const arm = `${root}/subscriptions/sub/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct/deployments/elle-prod?api-version=2024-10-21`;
      const put = await fetch(arm, {
        method: "PUT",
        headers: { authorization: "Bearer entra-token", "content-type": "application/json" },
        body: JSON.stringify(deployment),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({
        name: "elle-prod",
        properties: { provisioningState: "Succeeded", model: { name: job.fine_tuned_model } },
      });
      const got = await fetch(`${root}/openai/deployments/elle-prod?api-version=2024-10-21`, {
        headers: { "api-key": "k" },
      });
      expect(((await got.json()) as { sku: { name: string } }).sku.name).toBe("developertier");
      const missing = await fetch(`${root}/openai/deployments/nope?api-version=2024-10-21`, {
        headers: { "api-key": "k" },
      });
      expect(missing.status).toBe(404);

      const azure = new AzureOpenAI({ endpoint: root, apiKey: "azure-key", apiVersion: "2024-10-21", maxRetries: 0 });
      const answer = await azure.chat.completions.create({
        model: "elle-prod",
        messages: [{ role: "user", content: "Tell me about Neon" }],
        temperature: 0,
        max_tokens: 40,
      });
      expect(answer.model).toBe(job.fine_tuned_model);
      // A model's own name is no deployment, a base model's included, as on a real resource.
      for (const model of ["gpt-35-turbo-0125", job.fine_tuned_model ?? ""]) {
        const refused = azure.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
        await expect(refused).rejects.toMatchObject({ status: 404, code: "DeploymentNotFound" });
      }
      const direct = await server.client.chat.completions.create({
        model: job.fine_tuned_model ?? "",
        messages: [{ role: "user", content: "Tell me about Neon" }],
        temperature: 0,
        max_tokens: 40,
      });
      expect(answer.choices[0]?.message.content).toBe(direct.choices[0]?.message.content);
      const files = await azure.files.list();
      expect(files.data.map((f) => f.id)).toContain(file.id);
    } finally {
      await server.close();
    }
  });
});

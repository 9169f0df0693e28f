import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { allEvents, ELLE_TRAIN, startTestServer, uploadFile, uploadText, waitForJob } from "./server-fixture.js";

const ELLE_LINES = async () => (await readFile(ELLE_TRAIN, "utf8")).split("\n").filter((l) => l.trim() !== "");

describe("local provider: job listing, pagination and the metadata filter", () => {
  it("lists jobs newest first across pages, filters by metadata[k]=v, and pages events with after/limit", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const ids: string[] = [];
      for (const run of ["a", "b", "a", "b", "a"]) {
        const job = await client.fineTuning.jobs.create({
          model: "gpt-4o-mini",
          training_file: file.id,
          hyperparameters: { n_epochs: 1 },
          metadata: { run, n: String(ids.length) },
        });
        ids.push(job.id);
      }
      const first = await client.fineTuning.jobs.list({ limit: 2 });
      expect(first.data.map((j) => j.id)).toEqual([ids[4], ids[3]]);
      expect(first.has_more).toBe(true);
      const all: string[] = [];
      for await (const job of client.fineTuning.jobs.list({ limit: 2 })) all.push(job.id);
      expect(all).toEqual([...ids].reverse());

      const filtered = await client.fineTuning.jobs.list({ metadata: { run: "a" } });
      expect(filtered.data.map((j) => j.metadata?.n)).toEqual(["4", "2", "0"]);
      const both = await client.fineTuning.jobs.list({ metadata: { run: "a", n: "2" } });
      expect(both.data.map((j) => j.id)).toEqual([ids[2]]);

      const job = await waitForJob(client, ids[0] ?? "");
      expect(job.status).toBe("succeeded");
      const newest = await client.fineTuning.jobs.listEvents(job.id, { limit: 3 });
      expect(newest.data.map((e) => e.message)[0]).toBe("The job has successfully completed");
      expect(newest.has_more).toBe(true);
      const next = await client.fineTuning.jobs.listEvents(job.id, { limit: 3, after: newest.data[2]?.id ?? "" });
      const everything = (await allEvents(client, job.id)).reverse();
      expect([...newest.data, ...next.data].map((e) => e.id)).toEqual(everything.slice(0, 6).map((e) => e.id));

      const files = await client.files.list({ limit: 1, order: "asc" });
      expect(files.data.map((f) => f.id)).toEqual([file.id]);
    } finally {
      await server.close();
    }
  });
});

describe("local provider: cancel, pause and resume", () => {
  it("pauses a running job without losing steps, resumes it to success, and cancels another", async () => {
    const server = await startTestServer({ stepMs: 15 });
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const job = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        hyperparameters: { n_epochs: 4 },
      });
      await expect(client.fineTuning.jobs.pause(job.id)).rejects.toMatchObject({ status: 400 });
      const running = await waitForJob(client, job.id, new Set(["running"]));
      expect(running.estimated_finish).toBeGreaterThanOrEqual(running.created_at);
      const paused = await client.fineTuning.jobs.pause(job.id);
      expect(paused.status).toBe("paused");
      const resumed = await client.fineTuning.jobs.resume(job.id);
      expect(resumed.status).toBe("queued");
      const done = await waitForJob(client, job.id);
      expect(done.status).toBe("succeeded");
      expect(done.estimated_finish).toBeNull();
      const steps = (await allEvents(client, job.id))
        .filter((e) => e.type === "metrics")
        .map((e) => (e.data as { step: number }).step);
      expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

      const other = await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: file.id });
      const cancelled = await client.fineTuning.jobs.cancel(other.id);
      expect(cancelled.status).toBe("cancelled");
      await expect(client.fineTuning.jobs.cancel(other.id)).rejects.toMatchObject({
        status: 400,
        error: { type: "invalid_request_error" },
      });
      expect((await client.fineTuning.jobs.retrieve(other.id)).status).toBe("cancelled");
      await expect(client.fineTuning.jobs.resume(other.id)).rejects.toMatchObject({ status: 400 });
    } finally {
      await server.close();
    }
  });
});

describe("local provider: server-side data validation, like the real service", () => {
  it("fails jobs with invalid_n_examples, invalid_file_format (naming the example) and invalid_training_file", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const lines = await ELLE_LINES();
      const cases: [string, { code: string; message: string }][] = [
        [
          lines.slice(0, 3).join("\n"),
          { code: "invalid_n_examples", message: "Training file has 3 example(s), but must have at least 10 examples" },
        ],
        [
          [
            ...lines.slice(0, 4),
            JSON.stringify({ ...JSON.parse(lines[4] ?? "{}"), weight: 1 }),
            ...lines.slice(5),
          ].join("\n"),
          {
            code: "invalid_file_format",
            message:
              'The job failed due to a file format error in the training file. Invalid file format. Example 5 contains an extra "weight".',
          },
        ],
        [
          [
            ...lines.slice(0, 9),
            JSON.stringify({ messages: [{ content: "hi" }, { role: "assistant", content: "x" }] }),
          ].join("\n"),
          {
            code: "invalid_training_file",
            message:
              "The job failed due to an invalid training file. Invalid file format. Example 10, message 1 Discriminator 'role' is missing in value",
          },
        ],
      ];
      for (const [text, expected] of cases) {
        const file = await uploadText(client, text);
        const job = await waitForJob(
          client,
          (await client.fineTuning.jobs.create({ model: "gpt-3.5-turbo", training_file: file.id })).id,
        );
        expect(job.status).toBe("failed");
        expect(job.error).toEqual({ ...expected, param: "training_file" });
        expect(job.finished_at).toBeNull();
        const messages = (await allEvents(client, job.id)).map((e) => e.message);
        expect(messages.at(-1)).toBe(expected.message);
      }
    } finally {
      await server.close();
    }
  });

  it("makes a job fail on purpose with metadata tunefile_fail", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const early = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        metadata: { tunefile_fail: "validation" },
      });
      expect((await waitForJob(client, early.id)).error?.code).toBe("invalid_training_file");
      const late = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        hyperparameters: { n_epochs: 2 },
        metadata: { tunefile_fail: "training" },
      });
      const failed = await waitForJob(client, late.id);
      expect(failed.status).toBe("failed");
      expect(failed.error?.code).toBe("internal_error");
      expect(failed.finished_at).not.toBeNull();
      expect((await allEvents(client, late.id)).filter((e) => e.type === "metrics")).toHaveLength(10);
    } finally {
      await server.close();
    }
  });
});

describe("local provider: request errors use the real statuses and envelope", () => {
  it("rejects bad job parameters with 400 invalid_request_error naming the param", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const bad = async (body: Record<string, unknown>) => {
        try {
          await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: file.id, ...body } as never);
        } catch (error) {
          const e = error as { status: number; param: string; code: string; type: string };
          return { status: e.status, param: e.param, code: e.code, type: e.type };
        }
        throw new Error("expected a rejection");
      };
      expect(await bad({ model: "gpt-5" })).toEqual({
        status: 400,
        param: "model",
        code: "model_not_available",
        type: "invalid_request_error",
      });
      expect((await bad({ training_file: "file-nope" })).param).toBe("training_file");
      expect((await bad({ hyperparameters: { n_epochs: 51 } })).param).toBe("hyperparameters.n_epochs");
      expect((await bad({ seed: -1 })).param).toBe("seed");
      expect((await bad({ suffix: "x".repeat(65) })).param).toBe("suffix");
      const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
      expect((await bad({ metadata: many })).param).toBe("metadata");
      expect((await bad({ metadata: { ["k".repeat(65)]: "v" } })).param).toBe("metadata");
      expect((await bad({ metadata: { k: "v".repeat(513) } })).param).toBe("metadata");
      expect((await bad({ method: { type: "dpo" }, model: "gpt-3.5-turbo" })).param).toBe("method.type");

      // Azure spellings resolve to the snapshot; the job shows the resolved name.
      const azure = await client.fineTuning.jobs.create({ model: "gpt-35-turbo-0125", training_file: file.id });
      expect(azure.model).toBe("gpt-3.5-turbo-0125");
      await client.fineTuning.jobs.cancel(azure.id);

      await expect(client.files.retrieve("file-missing")).rejects.toMatchObject({
        status: 404,
        error: { message: "No such File object: file-missing", type: "invalid_request_error", param: "id" },
      });
      await expect(client.models.retrieve("ft:gpt-4o-mini-2024-07-18:local::abcdefgh")).rejects.toMatchObject({
        status: 404,
        code: "model_not_found",
      });
      await expect(client.models.delete("gpt-4o-mini")).rejects.toMatchObject({ status: 403 });
      await expect(client.fineTuning.jobs.retrieve("ftjob-missing")).rejects.toMatchObject({ status: 404 });
    } finally {
      await server.close();
    }
  });

  it("answers 401 without a key, and with a wrong key when --api-key is set", async () => {
    const server = await startTestServer({ apiKey: "sk-right" });
    try {
      const noKey = await fetch(`${server.url}/models`);
      expect(noKey.status).toBe(401);
      expect(noKey.headers.get("content-type")).toBe("application/json");
      expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
      await expect(server.client.models.list()).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
      const right = await fetch(`${server.url}/models`, { headers: { authorization: "Bearer sk-right" } });
      expect(right.status).toBe(200);
      expect(right.headers.get("x-request-id")).toMatch(/^req_/);
      const wrongBody = await (
        await fetch(`${server.url}/models`, { headers: { authorization: "Bearer sk-wrong" } })
      ).text();
      expect(wrongBody).not.toContain("sk-wrong");
    } finally {
      await server.close();
    }
  });
});

describe("local provider: continued fine-tuning", () => {
  it("fine-tunes an ft: model further, naming the result after the base snapshot", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const first = await waitForJob(
        client,
        (
          await client.fineTuning.jobs.create({
            model: "gpt-4o-mini",
            training_file: file.id,
            hyperparameters: { n_epochs: 1 },
          })
        ).id,
      );
      const parent = first.fine_tuned_model ?? "";
      const created = await client.fineTuning.jobs.create({
        model: parent,
        training_file: file.id,
        hyperparameters: { n_epochs: 1 },
        suffix: "more",
      });
      expect(created.model).toBe(parent);
      const second = await waitForJob(client, created.id);
      expect(second.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:local:more:[A-Za-z0-9]{8}$/);
      // Starting from the parent's parameters, the first step's loss is the parent's loss on that batch, not the base's.
      const stepOne = async (id: string) => {
        const data = (await allEvents(client, id)).find((e) => e.type === "metrics")?.data as
          | { train_loss: number }
          | undefined;
        return data?.train_loss ?? Number.NaN;
      };
      expect(await stepOne(second.id)).toBeLessThan(await stepOne(first.id));
      await expect(
        client.fineTuning.jobs.create({ model: "ft:gpt-4o-mini-2024-07-18:local::unknown1", training_file: file.id }),
      ).rejects.toMatchObject({ status: 400, param: "model" });
    } finally {
      await server.close();
    }
  });
});

describe("local provider: DPO jobs", () => {
  it("trains a preference job on its preferred answers and echoes beta in the method", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const lines = (await ELLE_LINES()).map((line) => {
        const { messages } = JSON.parse(line) as { messages: { role: string; content: string }[] };
        const answer = messages.at(-1) as { role: string; content: string };
        return JSON.stringify({
          input: { messages: messages.slice(0, -1) },
          preferred_output: [answer],
          non_preferred_output: [{ role: "assistant", content: "I do not know." }],
        });
      });
      const file = await uploadText(client, lines.join("\n"), "dpo.jsonl");
      const created = await client.fineTuning.jobs.create({
        model: "gpt-4.1-nano",
        training_file: file.id,
        method: { type: "dpo", dpo: { hyperparameters: { n_epochs: 2, beta: 0.2 } } },
      });
      expect(created.model).toBe("gpt-4.1-nano-2025-04-14");
      const job = await waitForJob(client, created.id);
      expect(job.status).toBe("succeeded");
      expect(job.method).toEqual({
        type: "dpo",
        dpo: { hyperparameters: { n_epochs: 2, batch_size: 1, learning_rate_multiplier: 2, beta: 0.2 } },
      });
      const supervisedFile = await uploadText(client, (await ELLE_LINES()).join("\n"));
      const wrongShape = await client.fineTuning.jobs.create({
        model: "gpt-4.1-nano",
        training_file: supervisedFile.id,
        method: { type: "dpo" },
      });
      const failed = await waitForJob(client, wrongShape.id);
      expect(failed.error?.code).toBe("invalid_file_format");
      expect(failed.error?.message).toMatch(/Example 1 /);
    } finally {
      await server.close();
    }
  });
});

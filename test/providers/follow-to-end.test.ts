import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import type { RemoteCall } from "../../src/providers/remote-call.js";
import { togetherTraining } from "../../src/providers/together/fine-tunes.js";
import { openaiTraining } from "../../src/providers/training/openai.js";
import { changedAnswers, editJson } from "../helpers/changed-answers.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ELLE_TRAIN, startTestServer, uploadFile } from "../server/server-fixture.js";

/** Each request once, no retries: the follow's own polling is what is under test. */
const once: RemoteCall = (_label, fn) => fn(new AbortController().signal, 1);

const following = {
  call: once,
  clock: systemClock,
  signal: new AbortController().signal,
  maxPollMs: 50,
  onEvent: () => {},
  onProgress: () => {},
  isTransient: () => false,
  onLostContact: () => {},
};

describe("a job that succeeds", () => {
  it("records its cost at the pipeline's training price when the pipeline gives one", async () => {
    const server = await startTestServer({ stepMs: 0 });
    try {
      const file = await uploadFile(server.client, ELLE_TRAIN);
      const job = await server.client.fineTuning.jobs.create({
        model: "gpt-4o-mini-2024-07-18",
        training_file: file.id,
      });
      const prices = { "gpt-4o-mini": { input: 0.15, output: 0.6, training: 6 } };
      const end = await openaiTraining(server.client).followToEnd(job.id, following, {
        workDir: await tempDir(),
        root: await tempDir(),
        estimatedUsd: undefined,
        prices,
      });
      if (end.kind !== "succeeded") throw new Error(JSON.stringify(end));
      expect(end.outputs.trained_tokens).toBeGreaterThan(0);
      expect(end.outputs.actual_usd).toBeCloseTo((end.outputs.trained_tokens! * 6) / 1_000_000, 6);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("a job that succeeds without naming a model", () => {
  it("fails the stage with a clear error instead of recording an empty model", async () => {
    const server = await startTestServer({ stepMs: 0 });
    try {
      // The real local server, with its job objects' fine_tuned_model taken out on the way back, as a service that
      // names the model elsewhere (or not at all) answers.
      const client = new OpenAI({
        baseURL: server.url,
        apiKey: "k",
        maxRetries: 0,
        fetch: changedAnswers(
          (url) => /\/fine_tuning\/jobs\/[^/]+$/.test(url.pathname),
          (response) => editJson<object>(response, (job) => ({ ...job, fine_tuned_model: null })),
        ),
      });
      const file = await uploadFile(client, ELLE_TRAIN);
      const job = await client.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: file.id });
      const end = await openaiTraining(client).followToEnd(job.id, following, {
        workDir: await tempDir(),
        root: await tempDir(),
        estimatedUsd: undefined,
      });
      expect(end).toMatchObject({ kind: "failed", error: { code: "no-fine-tuned-model" } });
      if (end.kind === "failed") expect(end.error.message).toContain(job.id);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("a Together job that succeeds", () => {
  it("records Together's own total_price (nanodollars) as the actual cost", async () => {
    const server = await startTestServer({ stepMs: 0 });
    try {
      const file = await uploadFile(server.client, ELLE_TRAIN);
      const base = server.url.replace(/\/v1$/, "/together/v1");
      // The real local server's Together dialect, with the price Together reports added to its job objects.
      const client = new OpenAI({
        baseURL: base,
        apiKey: "k",
        maxRetries: 0,
        fetch: changedAnswers(
          (url) => /\/fine-tunes\/[^/]+$/.test(url.pathname),
          (response) => editJson<object>(response, (job) => ({ ...job, total_price: 1_234_500_000 })),
        ),
      });
      const created = await client.post<{ id: string }>("/fine-tunes", {
        body: { model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", training_file: file.id },
      });
      const end = await togetherTraining(client).followToEnd(created.id, following, {
        workDir: await tempDir(),
        root: await tempDir(),
        estimatedUsd: undefined,
      });
      if (end.kind !== "succeeded") throw new Error(JSON.stringify(end));
      expect(end.outputs.actual_usd).toBe(1.2345);
    } finally {
      await server.close();
    }
  }, 60_000);
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { type LocalServerOptions, startLocalServer } from "../../src/server/app.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

export const ELLE_TRAIN = path.join(REPO_ROOT, "pipelines/data/elle/training-data.jsonl");
export const ELLE_VALID = path.join(REPO_ROOT, "pipelines/data/elle/validation-data.jsonl");

export interface TestServer {
  url: string;
  stateDir: string;
  client: OpenAI;
  close(): Promise<void>;
}

/** The real local server on a free loopback port with a fresh temp state dir, and a real SDK client for it. */
export async function startTestServer(options: Partial<LocalServerOptions> = {}): Promise<TestServer> {
  const stateDir = options.stateDir ?? (await tempDir("tunefile-serve-"));
  const server = await startLocalServer({ port: 0, ...options, stateDir });
  const client = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 0 });
  return { url: server.url, stateDir, client, close: () => server.close() };
}

export async function uploadFile(client: OpenAI, file: string, name = path.basename(file)) {
  return client.files.create({ file: await toFile(await readFile(file), name), purpose: "fine-tune" });
}

export async function uploadText(client: OpenAI, text: string, name = "data.jsonl") {
  return client.files.create({ file: await toFile(Buffer.from(text), name), purpose: "fine-tune" });
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/** Polls a job until it reaches one of `statuses` (default: a terminal status). */
export async function waitForJob(
  client: OpenAI,
  id: string,
  statuses: ReadonlySet<string> = TERMINAL,
  timeoutMs = 30_000,
): Promise<OpenAI.FineTuning.FineTuningJob> {
  let last = "unknown";
  return waitFor(
    async () => {
      const job = await client.fineTuning.jobs.retrieve(id);
      last = job.status;
      return statuses.has(job.status) ? job : undefined;
    },
    {
      what: `job ${id} to become ${[...statuses].join(" or ")}`,
      timeoutMs,
      intervalMs: 20,
      detail: () => `still ${last}`,
    },
  );
}

/** Polls a batch until it has `status`, with a deadline. */
export async function waitForBatch(
  client: OpenAI,
  id: string,
  status: OpenAI.Batches.Batch["status"],
  timeoutMs = 30_000,
): Promise<OpenAI.Batches.Batch> {
  let last = "unknown";
  return waitFor(
    async () => {
      const batch = await client.batches.retrieve(id);
      last = batch.status;
      return batch.status === status ? batch : undefined;
    },
    { what: `batch ${id} to become ${status}`, timeoutMs, intervalMs: 20, detail: () => `still ${last}` },
  );
}

/** All events of a job, oldest first (the API lists newest first). */
export async function allEvents(client: OpenAI, id: string) {
  const events: OpenAI.FineTuning.FineTuningJobEvent[] = [];
  for await (const e of client.fineTuning.jobs.listEvents(id, { limit: 100 })) events.push(e);
  return events.reverse();
}

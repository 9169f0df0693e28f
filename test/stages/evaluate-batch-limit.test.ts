import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { countExampleTokens, tokenCounterForModel } from "../../src/data/tokens.js";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";
import { waitFor } from "../helpers/wait-for.js";

const MODEL = "gpt-4o-mini-2024-07-18";
const ELEMENTS = ["Neon", "Zinc", "Gold", "Iron", "Lead", "Tin"];
const PIPELINE = `version: 1
name: queued
model: ${MODEL}
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  mode: batch
  batch: { poll_seconds: 1 }
  candidates: [base]
  params: { max_tokens: 30 }
  prompts:
    - user: "Tell me about {{element}}"
      vars: { element: [${ELEMENTS.join(", ")}] }
      assert: [{ icontains: "{{element}}" }]
`;

/** Another batch of the organisation's for the same model: six requests, its input tokens as the server counts them. */
async function otherBatch(): Promise<{ jsonl: string; tokens: number }> {
  const counter = await tokenCounterForModel(MODEL);
  const bodies = [1, 2, 3, 4, 5, 6].map((n) => ({
    model: MODEL,
    // Longer than the evaluation's requests, so that the limit it fills also holds the evaluation's batch alone.
    messages: [{ role: "user", content: `Another team's request ${n}: ${"summarise this. ".repeat(40)}` }],
  }));
  const tokens = bodies.reduce((sum, b) => sum + countExampleTokens(b, "supervised", counter).total, 0);
  const lines = bodies.map((body, i) => ({
    custom_id: `other-${i}`,
    method: "POST",
    url: "/v1/chat/completions",
    body,
  }));
  return { jsonl: lines.map((l) => JSON.stringify(l)).join("\n"), tokens };
}

type StoredBatch = { id: string; status: string; created_at: number; errors?: { data: { code: string }[] } };

async function batchesOnServer(root: string): Promise<StoredBatch[]> {
  const dir = path.join(root, ".tunefile/local/batches");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  const batches = await Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), "utf8"))));
  return (batches as StoredBatch[]).sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
}

async function answeredCells(root: string) {
  const results = JSON.parse(
    await readFile(path.join(root, ".tunefile/queued/eval/results.json"), "utf8"),
  ) as EvalResults;
  return results.cells.filter((c) => c.output !== undefined && c.error === undefined).length;
}

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);

describe("evaluate: a batch refused at the Batch API's enqueued-token limit", () => {
  it("is sent again as a batch once the batch that held the tokens has ended, not asked synchronously", async () => {
    const root = await projectWith(PIPELINE);
    let blocker: string | undefined;
    let freed = false;
    // Another batch of the organisation's is enqueued just before the evaluation's: together they pass the limit, and
    // the server refuses the evaluation's. That batch ends (cancelled here) by the time tunefile reads the refusal.
    const other = await otherBatch();
    const queue: typeof fetch = async (input, init) => {
      const url = urlOf(input);
      const client = new OpenAI({ apiKey: "test", baseURL: `${url.origin}/v1`, maxRetries: 0 });
      if (init?.method === "POST" && url.pathname.endsWith("/batches") && blocker === undefined) {
        const file = await client.files.create({
          file: await toFile(Buffer.from(other.jsonl), "other.jsonl"),
          purpose: "batch",
        });
        const made = await client.batches.create({
          input_file_id: file.id,
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
        });
        blocker = made.id;
        await waitFor(async () => (await client.batches.retrieve(made.id)).status === "in_progress", {
          what: "the other batch in progress",
        });
      }
      const response = await fetch(input, init);
      if (blocker && !freed && init?.method !== "POST" && /\/batches\/batch_/.test(url.pathname)) {
        const seen = (await response.clone().json()) as { id: string; status: string };
        if (seen.id !== blocker && seen.status === "failed") {
          freed = true;
          await client.batches.cancel(blocker);
          await waitFor(async () => (await client.batches.retrieve(blocker!)).status === "cancelled", {
            what: "the other batch cancelled",
          });
        }
      }
      return response;
    };
    const run = await runEngine(root, {
      disable: ["upload", "train", "deploy"],
      fetch: queue,
      // The other batch alone fills the limit: the evaluation's fits only once it has ended.
      batches: { batchMs: 200, batchTokens: other.tokens },
    });
    expect(run.result).toEqual({ kind: "completed" });
    const batches = await batchesOnServer(root);
    const seen = (b: StoredBatch) => [b.id === blocker ? "other" : "ours", b.status, b.errors?.data[0]?.code];
    // Listed by creation second, which two batches can share: the order of the refused one and the one sent again
    // is checked by their times below.
    expect(batches.map(seen).sort()).toEqual([
      ["other", "cancelled", undefined],
      ["ours", "completed", undefined],
      ["ours", "failed", "token_limit_exceeded"],
    ]);
    const [refused, answered] = ["failed", "completed"].map((s) => batches.find((b) => b.status === s)!);
    expect(refused!.created_at).toBeLessThanOrEqual(answered!.created_at);
    expect(refused!.id).not.toBe(blocker);
    // Every answer came from the second batch: nothing was asked synchronously, at twice the price.
    expect(run.chatRequests).toEqual([]);
    expect(await answeredCells(root)).toBe(ELEMENTS.length);
    const logged = run.events.flatMap((e) => (e.type === "stage-log" ? [e.message] : []));
    expect(logged).toContainEqual(
      expect.stringMatching(
        /failed \(token_limit_exceeded: Enqueued token limit reached for .*; its requests go into a new batch$/,
      ),
    );
  }, 60_000);

  it("a batch larger than the limit alone is refused each round, then asked synchronously", async () => {
    const root = await projectWith(PIPELINE);
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"], batches: { batchTokens: 1 } });
    expect(run.result).toEqual({ kind: "completed" });
    const batches = await batchesOnServer(root);
    expect(batches.map((b) => [b.status, b.errors?.data[0]?.code])).toEqual([
      ["failed", "token_limit_exceeded"],
      ["failed", "token_limit_exceeded"],
      ["failed", "token_limit_exceeded"],
    ]);
    expect(run.chatRequests).toHaveLength(ELEMENTS.length);
    expect(await answeredCells(root)).toBe(ELEMENTS.length);
  }, 60_000);

  it("under budget.max_usd without --yes, what the batches leave unanswered is not asked at the synchronous price", async () => {
    const root = await projectWith(`${PIPELINE}budget: { max_usd: 5 }\n`);
    const run = await runEngine(root, {
      disable: ["upload", "train", "deploy"],
      batches: { batchTokens: 1 },
      yes: false,
    });
    expect(run.result).toMatchObject({ kind: "failed", stage: "evaluate" });
    expect((await batchesOnServer(root)).map((b) => b.status)).toEqual(["failed", "failed", "failed"]);
    expect(run.chatRequests).toEqual([]);
    const end = run.events.find((e) => e.type === "stage-end" && e.stage === "evaluate");
    expect(end).toMatchObject({
      status: "failed",
      error: {
        message: expect.stringMatching(
          /^6 of 6 requests failed .*: not asked synchronously: the batches left it unanswered, and budget.max_usd was checked at batch prices .*--yes to ask it synchronously/,
        ),
      },
    });
    const logged = run.events.flatMap((e) => (e.type === "stage-log" ? [e.message] : []));
    expect(logged.filter((m) => m.includes("token_limit_exceeded"))).toEqual([
      expect.stringMatching(/; its requests go into a new batch$/),
      expect.stringMatching(/; its requests go into a new batch$/),
      expect.stringMatching(/; its requests stay unanswered$/),
    ]);
    expect(logged.at(-1)).toBe("0 answers, 6 failed (0 from the cache); report: reports/queued/report.md");
  }, 60_000);
});

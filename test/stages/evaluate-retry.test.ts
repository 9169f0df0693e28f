import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { changedAnswers, editJson } from "../helpers/changed-answers.js";
import { projectWith } from "../helpers/project.js";

const PIPELINE = `version: 1
name: flaky
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base]
  params: { max_tokens: 30 }
  concurrency: 2
  prompts:
    - user: "Tell me about {{element}}"
      vars: { element: [Neon, Zinc, Gold, Iron, Lead, Tin] }
      assert: [{ icontains: "{{element}}" }]
`;

describe("evaluate: rate limits and server errors", () => {
  it("retries 429s after the server's retry-after and 500s with backoff, and still answers every prompt", async () => {
    const root = await projectWith(PIPELINE);
    const run = await runEngine(root, {
      disable: ["upload", "train", "deploy"],
      faults: { rate: 0.5, seed: 3, kinds: ["429", "500"], slowMs: 0, retryAfterMs: 40, paths: ["/chat/completions"] },
    });
    expect(run.result).toEqual({ kind: "completed" });
    const retries = run.events.filter((e) => e.type === "retry");
    expect(retries.length).toBeGreaterThan(0);
    const rateLimited = retries.filter((e) => e.type === "retry" && e.reason.includes("429"));
    expect(rateLimited.length).toBeGreaterThan(0);
    // The wait after a 429 is exactly what retry-after-ms said.
    for (const e of rateLimited) if (e.type === "retry") expect(e.delayMs).toBe(40);
    const results = JSON.parse(
      await readFile(path.join(root, ".tunefile/flaky/eval/results.json"), "utf8"),
    ) as EvalResults;
    expect(results.cells).toHaveLength(6);
    expect(results.cells.every((c) => c.output !== undefined && c.error === undefined)).toBe(true);
    // Each prompt was answered once; the faulted attempts were retried, not double-counted.
    expect(new Set(run.chatRequests.map((r) => r.user)).size).toBe(6);
  }, 120_000);

  it("asks again without a sampling setting the model refuses (reasoning models take no temperature but 1)", async () => {
    const root = await projectWith(PIPELINE);
    // A service whose model refuses `temperature`, as OpenAI's o-series and gpt-5 models do: a 400 naming it.
    const sent: boolean[] = [];
    const refusing: typeof fetch = async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith("/chat/completions") || typeof init?.body !== "string") return fetch(input, init);
      const body = JSON.parse(init.body) as Record<string, unknown>;
      sent.push("temperature" in body);
      if (!("temperature" in body)) return fetch(input, init);
      const error = {
        message:
          "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
        type: "invalid_request_error",
        param: "temperature",
        code: "unsupported_value",
      };
      return new Response(JSON.stringify({ error }), { status: 400, headers: { "content-type": "application/json" } });
    };
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"], fetch: refusing });
    expect(run.result).toEqual({ kind: "completed" });
    // Each of the 6 prompts: refused with temperature, answered without it.
    expect(sent.filter((t) => t)).toHaveLength(6);
    expect(sent.filter((t) => !t)).toHaveLength(6);
  }, 120_000);

  it("grades a refusal (no content, the reason in refusal) as the answer, not as an empty one", async () => {
    const root = await projectWith(PIPELINE);
    const refusal = "I'm sorry, I can't help with that.";
    type Completion = { choices: { message: object }[] };
    const refusing = changedAnswers(
      (url) => url.pathname.endsWith("/chat/completions"),
      (response) =>
        editJson<Completion>(response, (body) => ({
          ...body,
          choices: body.choices.map((c) => ({ ...c, message: { ...c.message, content: null, refusal } })),
        })),
    );
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"], fetch: refusing });
    expect(run.result).toEqual({ kind: "completed" });
    const results = JSON.parse(
      await readFile(path.join(root, ".tunefile/flaky/eval/results.json"), "utf8"),
    ) as EvalResults;
    expect(results.cells.map((c) => c.output)).toEqual(Array(6).fill(refusal));
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { buildParts, isTransient, parseResults } from "../../src/eval/batch/lines.js";

const request = (i: number) => ({
  key: `k${i}`,
  model: "gpt-4o-mini-2024-07-18",
  messages: [{ role: "user" as const, content: `question ${i}` }],
  params: { temperature: 0, max_completion_tokens: 16 },
});

describe("Batch API input files", () => {
  it("writes one chat-completion request per line, keyed by custom_id", () => {
    const [part] = buildParts([request(1), request(2)]);
    const lines = part!.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        custom_id: "k1",
        method: "POST",
        url: "/v1/chat/completions",
        body: {
          model: "gpt-4o-mini-2024-07-18",
          messages: [{ role: "user", content: "question 1" }],
          temperature: 0,
          max_completion_tokens: 16,
        },
      },
      expect.objectContaining({ custom_id: "k2" }),
    ]);
    expect(part!.keys).toEqual(["k1", "k2"]);
    expect(part!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("puts each model's requests in their own files: a batch takes one model", () => {
    const other = { ...request(9), model: "ft:gpt-4o-mini-2024-07-18:org:x:abc" };
    const parts = buildParts([request(1), other, request(2)]);
    expect(parts.map((p) => p.keys)).toEqual([["k1", "k2"], ["k9"]]);
  });

  it("splits at the request limit and at the byte limit, keeping order and never an empty part", () => {
    const requests = Array.from({ length: 7 }, (_, i) => request(i));
    expect(buildParts(requests, { requests: 3, bytes: 1e9 }).map((p) => p.keys.length)).toEqual([3, 3, 1]);
    const oneLine = Buffer.byteLength(buildParts([request(1)])[0]!.text);
    const bySize = buildParts(requests, { requests: 100, bytes: oneLine * 2 + 1 });
    expect(bySize.map((p) => p.keys.length)).toEqual([2, 2, 2, 1]);
    expect(bySize.flatMap((p) => p.keys)).toEqual(requests.map((r) => r.key));
    expect(buildParts([])).toEqual([]);
  });
});

describe("Batch API result files", () => {
  it("reads answers, request errors and batch-level errors; skips lines it cannot read", () => {
    const text = [
      JSON.stringify({
        id: "batch_req_1",
        custom_id: "k1",
        response: {
          status_code: 200,
          body: {
            model: "gpt-4o-mini-2024-07-18",
            choices: [{ message: { role: "assistant", content: "Paris" }, finish_reason: "stop" }],
            usage: { prompt_tokens: 9, completion_tokens: 1 },
          },
        },
        error: null,
      }),
      JSON.stringify({
        custom_id: "k2",
        response: { status_code: 429, body: { error: { code: "rate_limit_exceeded", message: "slow down" } } },
        error: null,
      }),
      JSON.stringify({ custom_id: "k3", response: null, error: { code: "batch_expired", message: "expired" } }),
      JSON.stringify({
        custom_id: "k4",
        response: { status_code: 400, body: { error: { code: "invalid_value", message: "bad" } } },
      }),
      "{not json",
      JSON.stringify({ response: null }),
      "",
    ].join("\n");
    const results = parseResults(text);
    expect(results).toEqual([
      {
        kind: "answer",
        key: "k1",
        response: {
          model: "gpt-4o-mini-2024-07-18",
          content: "Paris",
          finish_reason: "stop",
          usage: { prompt_tokens: 9, completion_tokens: 1 },
        },
      },
      { kind: "error", key: "k2", status: 429, code: "rate_limit_exceeded", message: "slow down" },
      { kind: "error", key: "k3", status: undefined, code: "batch_expired", message: "expired" },
      { kind: "error", key: "k4", status: 400, code: "invalid_value", message: "bad" },
    ]);
    const errors = results.filter((r) => r.kind === "error");
    expect(errors.map((e) => isTransient(e))).toEqual([true, true, false]);
  });
});

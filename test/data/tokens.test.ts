import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { encodingFor } from "../../src/core/catalog/models.js";
import { bpeCounter } from "../../src/data/tokenizer/bpe-count.js";
import { rankTable } from "../../src/data/tokenizer/rank-table.js";
import { countExampleTokens, loadTokenCounter, tokenCounterForModel } from "../../src/data/tokens.js";
import { SAMPLE_COUNT, SAMPLE_SEED, tokenSamples } from "./token-samples.js";

/**
 * Expected values come from outside this project: the OpenAI cookbook's How_to_count_tokens_with_tiktoken notebook
 * prints, for these six messages, "129 prompt tokens counted by num_tokens_from_messages()" for gpt-4-0613
 * (cl100k_base) and "124 ..." for gpt-4o / gpt-4o-mini (o200k_base), each equal to the API's own usage count.
 * The string counts are the notebook's cl100k_base examples and tiktoken's own tests ("hello world" -> 2 tokens).
 */
const COOKBOOK_MESSAGES = [
  {
    role: "system",
    content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.",
  },
  { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
  { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
  {
    role: "system",
    name: "example_user",
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: "system",
    name: "example_assistant",
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: "user",
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

describe("token counting", () => {
  it("matches the cookbook's chat count for cl100k_base (gpt-4-0613: 129)", async () => {
    const counter = await tokenCounterForModel("gpt-4-0613");
    expect(counter.encoding).toBe("cl100k_base");
    expect(countExampleTokens({ messages: COOKBOOK_MESSAGES }, "supervised", counter)).toEqual({
      total: 129,
      assistant: 0,
      approximate: false,
    });
  });

  it("matches the cookbook's chat count for o200k_base (gpt-4o-mini: 124)", async () => {
    const counter = await tokenCounterForModel("gpt-4o-mini-2024-07-18");
    expect(counter.encoding).toBe("o200k_base");
    expect(countExampleTokens({ messages: COOKBOOK_MESSAGES }, "supervised", counter).total).toBe(124);
  });

  it("counts strings like tiktoken", async () => {
    const cl100k = await loadTokenCounter("cl100k_base");
    expect(
      ["hello world", "antidisestablishmentarianism", "2 + 2 = 4", "お誕生日おめでとう", "👍", ""].map(cl100k.count),
    ).toEqual([2, 6, 7, 9, 3, 0]);
  });

  it("counts special tokens spelled out in text as text instead of throwing", async () => {
    const o200k = await loadTokenCounter("o200k_base");
    expect(o200k.count("a <|endoftext|> b")).toBeGreaterThan(3);
  });

  it("resolves ft: names by their base model, also where tiktoken's prefix table is wrong", () => {
    expect(encodingFor("ft:gpt-4.1-2025-04-14:org:elle:abc123")).toBe("o200k_base");
    expect(encodingFor("ft:gpt-4o-mini-2024-07-18:personal:elle:9uJPbR69")).toBe("o200k_base");
    expect(encodingFor("ft:gpt-3.5-turbo-0125:my-org::8AO3Tcpr")).toBe("cl100k_base");
    expect(encodingFor("gpt-4-0613")).toBe("cl100k_base");
  });

  it("counts assistant tokens without weight-0 turns, and flags JSON-counted values as approximate", async () => {
    const counter = await loadTokenCounter("o200k_base");
    const user = { role: "user", content: "hi" };
    const plain = countExampleTokens(
      {
        messages: [
          user,
          { role: "assistant", content: "hello world", weight: 0 },
          { role: "assistant", content: "hello" },
        ],
      },
      "supervised",
      counter,
    );
    // The weight key adds nothing; assistant tokens are those of "hello" only.
    expect(plain).toEqual({
      // priming 3, 3 per message, roles, "hi" (1), "hello world" (2), "hello" (1)
      total: 3 + 3 * 3 + counter.count("user") + 1 + 2 * counter.count("assistant") + 2 + 1,
      assistant: 1,
      approximate: false,
    });
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    const withTools = countExampleTokens(
      { messages: [user, { role: "assistant", tool_calls: [call] }] },
      "supervised",
      counter,
    );
    expect(withTools.approximate).toBe(true);
    expect(withTools.total).toBe(
      3 + 6 + counter.count("user") + 1 + counter.count("assistant") + counter.count(JSON.stringify([call])),
    );
  });

  it("counts a DPO example's input and both outputs; assistant tokens are the preferred output's", async () => {
    const counter = await loadTokenCounter("o200k_base");
    const tokens = countExampleTokens(
      {
        input: { messages: [{ role: "user", content: "hi" }] },
        preferred_output: [{ role: "assistant", content: "hello world" }],
        non_preferred_output: [{ role: "assistant", content: "go away" }],
      },
      "dpo",
      counter,
    );
    expect(tokens.assistant).toBe(2);
    expect(tokens.total).toBe(3 + 9 + 1 + 1 + 2 * counter.count("assistant") + 2 + 2);
  });
});

describe("token counts equal gpt-tokenizer's on 40,000 strings", () => {
  // tunefile counts with its own byte-pair merge over a shared rank table (src/data/tokenizer), and sums cached
  // counts of space-separated chunks on top (tokens.ts). Both must give gpt-tokenizer's count on every string.
  const samples = tokenSamples(SAMPLE_COUNT, SAMPLE_SEED);
  const asText = { disallowedSpecial: new Set<string>() };

  it.each(["o200k_base", "cl100k_base"] as const)("%s: the merge and the cached counter", async (encoding) => {
    const reference = encoding === "o200k_base" ? o200k.countTokens : cl100k.countTokens;
    const raw = bpeCounter(encoding, rankTable(encoding));
    const cached = await loadTokenCounter(encoding);
    const differ = samples.filter((s) => {
      const expected = reference(s, asText);
      return raw(s) !== expected || cached.count(s) !== expected;
    });
    expect(differ.slice(0, 5)).toEqual([]);
    // And on a real sentence, twice (the second time from the cache).
    const sentence =
      "Gallium, oh gallium, so light - Melts in your hand, oh what a sight -  At 86 degrees\n - it's out";
    expect([cached.count(sentence), cached.count(sentence)]).toEqual([
      reference(sentence, asText),
      reference(sentence, asText),
    ]);
  });
});

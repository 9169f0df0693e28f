import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CacheRequest, cacheKey, ResponseCache } from "../../src/eval/cache.js";
import { tempDir } from "../helpers/temp-dir.js";

const request: CacheRequest = {
  provider: { kind: "openai", base_url: "https://api.openai.com/v1" },
  model: "gpt-4o-mini-2024-07-18",
  messages: [{ role: "user", content: "Tell me about Neon" }],
  params: { temperature: 0, max_completion_tokens: 120 },
};

describe("response cache", () => {
  it("keys on provider, model, messages and params, not on key order", () => {
    const key = cacheKey(request);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...request, params: { max_completion_tokens: 120, temperature: 0 } })).toBe(key);
    const variants: CacheRequest[] = [
      { ...request, provider: { kind: "openai-compatible", base_url: "https://example.com/v1" } },
      { ...request, model: "ft:gpt-4o-mini-2024-07-18:o:elle:x" },
      { ...request, messages: [{ role: "user", content: "Tell me about Zinc" }] },
      { ...request, messages: [{ role: "system", content: "Be Elle" }, ...request.messages] },
      { ...request, params: { temperature: 0.5, max_completion_tokens: 120 } },
    ];
    const keys = new Set([key, ...variants.map(cacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it("appends answers to one log per run, reads every log back, and skips a torn last line", async () => {
    const dir = path.join(await tempDir(), "cache");
    const key = cacheKey(request);
    const response = {
      model: "gpt-4o-mini-2024-07-18",
      content: "Neon glows",
      finish_reason: "stop",
      usage: { prompt_tokens: 12, completion_tokens: 3 },
      latency_ms: 42,
    };
    const first = await ResponseCache.open(dir);
    expect(await first.get(key)).toBeUndefined();
    await first.put(key, request, response);
    expect(await first.get(key)).toEqual(response);
    await first.close();
    const [log] = await readdir(dir);
    expect(log).toMatch(/^\d+-[0-9a-f]{8}\.jsonl$/);

    // A writer killed mid-line leaves a torn last line: it is skipped, and the answers before it are kept.
    const other = cacheKey({ ...request, model: "gpt-4.1-mini-2025-04-14" });
    const text = await readFile(path.join(dir, log!), "utf8");
    await writeFile(path.join(dir, log!), `${text}{"key":"${other}","response":{"content":"half`);
    const second = await ResponseCache.open(dir);
    expect(await second.get(key)).toEqual(response);
    expect(await second.get(other)).toBeUndefined();
    await second.put(other, request, { ...response, content: "Argon too" });
    await second.close();
    const third = await ResponseCache.open(dir);
    expect((await third.get(other))?.content).toBe("Argon too");
    expect(await readdir(dir)).toHaveLength(2);
  });

  it("answers put concurrently (evaluation's requests run in parallel) go to one log, opened once", async () => {
    const dir = path.join(await tempDir(), "cache");
    const cache = await ResponseCache.open(dir);
    const answers = ["Neon", "Zinc", "Gold", "Iron", "Lead", "Tin"].map((element) => {
      const asked = { ...request, messages: [{ role: "user" as const, content: `Tell me about ${element}` }] };
      return {
        key: cacheKey(asked),
        asked,
        response: {
          model: request.model,
          content: `${element} is an element`,
          finish_reason: "stop",
          usage: { prompt_tokens: 12, completion_tokens: 4 },
        },
      };
    });
    await Promise.all(answers.map((a) => cache.put(a.key, a.asked, a.response)));
    await cache.close();
    // One open: before, each put that started before the first open finished opened a log of its own and lost the
    // handle of the one before (closed by the garbage collector, with Node's warning printed in the user's run).
    expect(await readdir(dir)).toHaveLength(1);
    const again = await ResponseCache.open(dir);
    for (const a of answers) expect((await again.get(a.key))?.content).toBe(a.response.content);
  });

  it("reads the one-file-per-answer caches of earlier versions", async () => {
    const dir = path.join(await tempDir(), "cache");
    const key = cacheKey(request);
    await mkdir(dir, { recursive: true });
    const response = {
      model: "m",
      content: "from before",
      finish_reason: "stop",
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    };
    await writeFile(path.join(dir, `${key}.json`), `${JSON.stringify({ key, request, response }, null, 2)}\n`);
    expect((await (await ResponseCache.open(dir)).get(key))?.content).toBe("from before");
  });

  it("compacts many logs into one when asked, keeping every key", async () => {
    const dir = path.join(await tempDir(), "cache");
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const cache = await ResponseCache.open(dir);
      const key = cacheKey({ ...request, messages: [{ role: "user", content: `question ${i}` }] });
      keys.push(key);
      await cache.put(key, request, {
        model: "m",
        content: `answer ${i}`,
        finish_reason: "stop",
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      });
      await cache.close();
    }
    expect((await readdir(dir)).length).toBe(10);
    const compacted = await ResponseCache.open(dir, { compact: true });
    expect(await readdir(dir)).toHaveLength(1);
    for (const [i, key] of keys.entries()) expect((await compacted.get(key))?.content).toBe(`answer ${i}`);
  });
});

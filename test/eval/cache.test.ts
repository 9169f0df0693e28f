import { readdir, writeFile } from "node:fs/promises";
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

  it("stores one file per key, reads it back, and treats a damaged file as a miss", async () => {
    const dir = path.join(await tempDir(), "cache");
    const cache = new ResponseCache(dir);
    const key = cacheKey(request);
    expect(await cache.get(key)).toBeUndefined();
    const response = {
      model: "gpt-4o-mini-2024-07-18",
      content: "Neon glows",
      finish_reason: "stop",
      usage: { prompt_tokens: 12, completion_tokens: 3 },
      latency_ms: 42,
    };
    await cache.put(key, request, response);
    expect(await cache.get(key)).toEqual(response);
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    await writeFile(path.join(dir, `${key}.json`), '{"response": {"content"');
    expect(await cache.get(key)).toBeUndefined();
  });
});

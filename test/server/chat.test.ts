import { describe, expect, it } from "vitest";
import { startTestServer } from "./server-fixture.js";

describe("local provider: chat completions", () => {
  it("honours n, max_tokens, max_completion_tokens, stop, and streams the same text with usage last", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const messages = [{ role: "user" as const, content: "Tell me about Iron" }];
      const full = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        temperature: 0,
        max_completion_tokens: 40,
      });
      const text = full.choices[0]?.message.content ?? "";
      expect(text.length).toBeGreaterThan(0);
      expect(full.model).toBe("gpt-4o-mini-2024-07-18");

      const two = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        temperature: 0,
        n: 2,
        max_tokens: 40,
      });
      expect(two.choices.map((c) => c.index)).toEqual([0, 1]);
      expect(two.choices.map((c) => c.message.content)).toEqual([text, text]);
      expect(two.usage?.completion_tokens).toBe(2 * (full.usage?.completion_tokens ?? 0));

      const short = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        temperature: 0,
        max_tokens: 2,
      });
      expect(short.choices[0]?.finish_reason).toBe("length");
      expect(short.usage?.completion_tokens).toBeLessThanOrEqual(3);

      const word = text.split(/\s+/)[2] ?? "";
      const stopped = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        temperature: 0,
        max_tokens: 40,
        stop: [word],
      });
      expect(stopped.choices[0]?.message.content).not.toContain(word);

      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        temperature: 0,
        max_completion_tokens: 40,
        stream: true,
        stream_options: { include_usage: true },
      });
      let streamed = "";
      let usage: unknown;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        expect(chunk.object).toBe("chat.completion.chunk");
        streamed += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(streamed).toBe(text);
      expect(finish).toBe(full.choices[0]?.finish_reason);
      expect(usage).toEqual(full.usage);

      await expect(client.chat.completions.create({ model: "gpt-4o-mini", messages: [] })).rejects.toMatchObject({
        status: 400,
        param: "messages",
      });
      await expect(
        client.chat.completions.create({ model: "gpt-4o-mini", messages, temperature: 3 }),
      ).rejects.toMatchObject({
        status: 400,
        param: "temperature",
      });
      await expect(client.chat.completions.create({ model: "llama-3", messages })).rejects.toMatchObject({
        status: 404,
        code: "model_not_found",
      });
    } finally {
      await server.close();
    }
  });
});

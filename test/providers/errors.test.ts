import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { classifyError, toStageError } from "../../src/providers/errors.js";
import { makeRedactor } from "../../src/providers/redact.js";

/**
 * A loopback HTTP server that answers each model id with a canned failure, so that the errors classified below are
 * the real SDK's, built from real responses.
 */
const CANARY = "sk-canary-0123456789abcdefghij";
const replies: Record<string, { status: number; headers?: Record<string, string>; body?: unknown }> = {
  "rate-limited": {
    status: 429,
    headers: { "retry-after": "3" },
    body: { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } },
  },
  "rate-limited-ms": { status: 429, headers: { "retry-after-ms": "1500.5", "retry-after": "9" }, body: { error: {} } },
  quota: {
    status: 429,
    body: {
      error: {
        message: "You exceeded your current quota",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    },
  },
  daily: {
    status: 429,
    body: {
      error: {
        message: "maximum of 3 fine-tuning requests per day",
        type: "invalid_request_error",
        param: null,
        code: "daily_rate_limit_exceeded",
      },
    },
  },
  "no-retry": {
    status: 429,
    headers: { "x-should-retry": "false" },
    body: { error: { message: "stop", type: "x", param: null, code: null } },
  },
  server: { status: 503, body: { error: { message: "overloaded", type: "server_error", param: null, code: null } } },
  bad: {
    status: 400,
    body: {
      error: {
        message: "invalid model ID",
        type: "invalid_request_error",
        param: "model",
        code: "model_not_available",
      },
    },
  },
  "echo-auth": { status: 401, body: "echo" },
};

let server: Server;
let baseURL: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const id = decodeURIComponent(req.url?.split("/").pop() ?? "");
    if (id === "reset") return req.socket.destroy();
    if (id === "slow") return void setTimeout(() => res.end("{}"), 2_000);
    const reply = replies[id] ?? {
      status: 404,
      body: { error: { message: `no ${id}`, type: "invalid_request_error", param: "id", code: null } },
    };
    // A misbehaving proxy that echoes the request headers, secrets included.
    const body =
      reply.body === "echo"
        ? {
            error: {
              message: `bad key, request had Authorization: ${req.headers.authorization}`,
              type: "invalid_request_error",
              param: null,
              code: "invalid_api_key",
            },
          }
        : reply.body;
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PIPELINE: Pipeline = { version: 1, name: "p", model: "gpt-4o-mini-2024-07-18", dataset: { train: "x" } };
const redact = makeRedactor({ OPENAI_API_KEY: CANARY }, PIPELINE);
const NOW = new Date("2026-01-01T00:00:00Z");

async function failureOf(id: string, timeout = 10_000): Promise<unknown> {
  const client = new OpenAI({ apiKey: CANARY, baseURL, maxRetries: 0, timeout });
  try {
    await client.models.retrieve(id);
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${id} to fail`);
}

describe("classifyError on real SDK errors", () => {
  it("429 is transient and honours retry-after (seconds)", async () => {
    expect(classifyError(await failureOf("rate-limited"), redact, NOW)).toEqual({
      kind: "transient",
      reason: "429 rate limited (rate_limit_exceeded)",
      retryAfterMs: 3000,
    });
  });

  it("retry-after-ms wins over retry-after", async () => {
    expect(classifyError(await failureOf("rate-limited-ms"), redact, NOW)).toEqual({
      kind: "transient",
      reason: "429 rate limited",
      retryAfterMs: 1501,
    });
  });

  it("429 insufficient_quota and daily_rate_limit_exceeded are permanent with the provider's message", async () => {
    expect(classifyError(await failureOf("quota"), redact, NOW)).toEqual({
      kind: "permanent",
      error: { code: "insufficient_quota", message: "429 You exceeded your current quota" },
    });
    expect(classifyError(await failureOf("daily"), redact, NOW)).toEqual({
      kind: "permanent",
      error: { code: "daily_rate_limit_exceeded", message: "429 maximum of 3 fine-tuning requests per day" },
    });
  });

  it("x-should-retry: false makes any status permanent", async () => {
    expect(classifyError(await failureOf("no-retry"), redact, NOW)).toEqual({
      kind: "permanent",
      error: { code: "http-429", message: "429 stop" },
    });
  });

  it("5xx is transient; 400 and 404 are permanent", async () => {
    expect(classifyError(await failureOf("server"), redact, NOW)).toEqual({
      kind: "transient",
      reason: "503 server error",
    });
    expect(classifyError(await failureOf("bad"), redact, NOW)).toEqual({
      kind: "permanent",
      error: { code: "model_not_available", message: "400 invalid model ID" },
    });
    expect(classifyError(await failureOf("missing"), redact, NOW)).toEqual({
      kind: "permanent",
      error: { code: "http-404", message: "404 no missing" },
    });
  });

  it("a dropped connection and a timeout are transient", async () => {
    expect(classifyError(await failureOf("reset"), redact, NOW)).toEqual({
      kind: "transient",
      reason: "connection error (other side closed)",
    });
    expect(classifyError(await failureOf("slow", 200), redact, NOW)).toEqual({
      kind: "transient",
      reason: "request timed out",
    });
  });

  it("a refused connection says where it went, to tell a wrong base URL from an outage", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = new OpenAI({ apiKey: CANARY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const err = await client.models.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    // It was "connection error" and, once retries ran out, the SDK's "Connection error." alone.
    const reason = `connection error (connect ECONNREFUSED 127.0.0.1:${port})`;
    expect(classifyError(err, redact, NOW)).toEqual({ kind: "transient", reason });
    expect(toStageError(err, redact, NOW)).toEqual({
      code: "retries-exhausted",
      message: `gave up after retries: ${reason}`,
    });
  });

  it("an error that is not the SDK's is internal, a bug", () => {
    expect(classifyError(new TypeError("x is undefined"), redact, NOW)).toEqual({ kind: "internal" });
  });
});

describe("toStageError never carries a secret", () => {
  it("scrubs an echoed Authorization header and the key itself", async () => {
    const error = toStageError(await failureOf("echo-auth"), redact, NOW);
    expect(error).toEqual({ code: "invalid_api_key", message: "401 bad key, request had Authorization: [redacted]" });
    expect(JSON.stringify(error)).not.toContain(CANARY);
  });

  it("scrubs secrets of any environment variable named like a key, wherever they appear", () => {
    const r = makeRedactor({ AZURE_OPENAI_API_KEY: "azure-canary-value-42", HOME: "/home/someone-long" }, PIPELINE);
    expect(r("key azure-canary-value-42 in /home/someone-long api-key: abc123")).toBe(
      "key [redacted] in /home/someone-long api-key: [redacted]",
    );
  });

  it("scrubs the values of the variables the pipeline names in api_key_env, whatever their names", () => {
    const env = { ACME_AUTH: "acme-canary-value-7", JUDGE_CRED: "judge-canary-value-9", HOME: "/home/someone-long" };
    const pipeline: Pipeline = {
      ...PIPELINE,
      provider: { kind: "openai-compatible", base_url: "http://127.0.0.1:1/v1", api_key_env: "ACME_AUTH" },
      evaluation: {
        prompts: [{ user: "hi" }],
        candidates: ["base", { model: "m", provider: { kind: "openai", api_key_env: "JUDGE_CRED" } }],
      },
    };
    const text = "echoed acme-canary-value-7 and judge-canary-value-9 from /home/someone-long";
    expect(makeRedactor(env, pipeline)(text)).toBe("echoed [redacted] and [redacted] from /home/someone-long");
    // Without the pipeline naming them, these names look like nothing secret.
    expect(makeRedactor(env, PIPELINE)(text)).toBe(text);
  });
});

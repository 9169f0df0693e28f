import { createHash } from "node:crypto";
import { isRecord } from "../../data/format-checks/json-kind.js";
import { type CachedResponse, parseJsonLines } from "../cache.js";
import type { EvalMessage } from "../types.js";

/**
 * The Batch API's file formats (https://platform.openai.com/docs/guides/batch): one request per input line,
 * `{custom_id, method, url, body}`, and one result per output or error line, `{custom_id, response: {status_code,
 * body}, error}`. Pure functions, so the formats are tested without a server.
 */

/** Provider limits per input file: 50,000 requests and 200 MB, read as decimal megabytes (the smaller reading). */
export const BATCH_LIMITS = { requests: 50_000, bytes: 200_000_000 } as const;

/** One chat completion to ask, keyed by its cache key (which becomes the line's custom_id). */
export interface BatchRequest {
  key: string;
  model: string;
  messages: readonly EvalMessage[];
  params: Record<string, unknown>;
}

/** One input file's worth of requests. */
export interface BatchPart {
  keys: string[];
  /** The JSONL input file. */
  text: string;
  /** sha256 of `text`: names the part, so that a rerun adopts the batch made from the same requests. */
  sha256: string;
}

/**
 * Splits the requests into input files: one model per file (the Batch API takes a single model per input file), and
 * within the limits, keeping order.
 */
export function buildParts(
  requests: readonly BatchRequest[],
  limits: { requests: number; bytes: number } = BATCH_LIMITS,
): BatchPart[] {
  const parts: BatchPart[] = [];
  let lines: string[] = [];
  let keys: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const text = `${lines.join("\n")}\n`;
    parts.push({ keys, text, sha256: createHash("sha256").update(text).digest("hex") });
    lines = [];
    keys = [];
    bytes = 0;
  };
  // One pass over the requests per model: a handful of models at most.
  for (const model of new Set(requests.map((r) => r.model))) {
    for (const r of requests.filter((q) => q.model === model)) {
      const line = JSON.stringify({
        custom_id: r.key,
        method: "POST",
        url: "/v1/chat/completions",
        body: { model: r.model, messages: r.messages, ...r.params },
      });
      const size = Buffer.byteLength(line) + 1;
      if (lines.length > 0 && (lines.length >= limits.requests || bytes + size > limits.bytes)) flush();
      lines.push(line);
      keys.push(r.key);
      bytes += size;
    }
    flush();
  }
  return parts;
}

/** What one result line says about its request. */
export type BatchResult =
  | { kind: "answer"; key: string; response: CachedResponse }
  | { kind: "error"; key: string; status: number | undefined; code: string; message: string };

/**
 * Reads an output or error file. Lines that do not parse, or name no custom_id, are skipped: their requests stay
 * unanswered and are asked again, which costs a request but never records a wrong answer.
 */
export function parseResults(text: string): BatchResult[] {
  return parseJsonLines(text).flatMap((value) => toResult(value) ?? []);
}

function toResult(value: unknown): BatchResult | undefined {
  if (!isRecord(value) || typeof value.custom_id !== "string") return undefined;
  const key = value.custom_id;
  const response = isRecord(value.response) ? value.response : undefined;
  const status = typeof response?.status_code === "number" ? response.status_code : undefined;
  const body = isRecord(response?.body) ? response.body : undefined;
  if (status === 200 && body) {
    const answer = toAnswer(body);
    if (answer) return { kind: "answer", key, response: answer };
  }
  const error = isRecord(value.error) ? value.error : isRecord(body?.error) ? body.error : undefined;
  return {
    kind: "error",
    key,
    status,
    code:
      typeof error?.code === "string" ? error.code : status !== undefined ? `http-${status}` : "batch-request-failed",
    message: typeof error?.message === "string" ? error.message : "the batch reported no message",
  };
}

/** A chat completion body as the cache keeps it. A batch has no per-request latency, so none is recorded. */
function toAnswer(body: Record<string, unknown>): CachedResponse | undefined {
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const first = isRecord(choices[0]) ? choices[0] : undefined;
  const message = isRecord(first?.message) ? first.message : undefined;
  if (!message || typeof body.model !== "string") return undefined;
  const usage = isRecord(body.usage) ? body.usage : {};
  return {
    model: body.model,
    content: typeof message.content === "string" ? message.content : "",
    finish_reason: typeof first?.finish_reason === "string" ? first.finish_reason : "unknown",
    usage: {
      prompt_tokens: typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0,
      completion_tokens: typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0,
    },
  };
}

/** Errors worth another try: rate limits, server errors, and requests the batch never got to (expired). */
export function isTransient(result: Extract<BatchResult, { kind: "error" }>): boolean {
  if (result.status !== undefined && (result.status === 429 || result.status >= 500)) return true;
  return ["rate_limit_exceeded", "server_error", "batch_expired", "batch_cancelled"].includes(result.code);
}

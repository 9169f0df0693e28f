import type { IncomingMessage, ServerResponse } from "node:http";

/** Wire helpers of every route: the OpenAI error envelope, JSON responses, JSON bodies and cursor lists. */

/** The four error types the real API uses for the cases the emulator reproduces. */
export type ErrorType = "invalid_request_error" | "server_error" | "insufficient_quota" | "requests";

/** An expected API failure, answered with `{error:{message,type,param,code}}` and `status`. */
export interface ApiFailure {
  status: number;
  message: string;
  type: ErrorType;
  param: string | null;
  code: string | null;
  headers?: Record<string, string>;
}

/** An ApiFailure; `type` defaults to `invalid_request_error`, `param` and `code` to null. */
export function apiFailure(
  status: number,
  message: string,
  more: { type?: ErrorType; param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
): ApiFailure {
  const { type = "invalid_request_error", param = null, code = null, headers } = more;
  return { status, message, type, param, code, ...(headers ? { headers } : {}) };
}

/** Thrown by route code to answer with an error envelope; the router turns it into a response. */
export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(apiFailure(400, message, { param, code }));
}

export function notFound(message: string, param: string | null = "id", code: string | null = null): ApiError {
  return new ApiError(apiFailure(404, message, { param, code }));
}

export function modelNotFound(model: string): ApiError {
  const message = `The model \`${model}\` does not exist or you do not have access to it.`;
  return new ApiError(apiFailure(404, message, { code: "model_not_found" }));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, failure: ApiFailure): void {
  const { status, message, type, param, code, headers } = failure;
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}

/** Bodies above this are refused; JSON requests are small (files go through multipart, which streams). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** Parses a JSON object body the way the real API does: anything else is a 400. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw badRequest("Request body too large.");
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("Invalid type for request body: expected an object.");
  }
  return parsed as Record<string, unknown>;
}

/** The `limit` of a cursor list (files, jobs, events, checkpoints, batches). */
export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get("limit");
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badRequest(
      `Invalid 'limit': integer between 1 and ${max} expected, got '${raw}'.`,
      "limit",
      "integer_out_of_range",
    );
  }
  return n;
}

/** Newest first by `created_at`; ties (same second) in reverse creation (insertion) order. */
export function newestFirst<T>(items: Iterable<T>, createdAt: (item: T) => number): T[] {
  return [...items].reverse().sort((a, b) => createdAt(b) - createdAt(a));
}

/**
 * Sends one page of a list: the items after the `after` id, at most `limit`, with `first_id`/`last_id` unless
 * `ids` is false (the lists whose schema has none). An unknown `after` id gives an empty page, so a client paging
 * across deletions stops instead of looping.
 */
export function sendPage<T extends { id: string }>(
  res: ServerResponse,
  query: URLSearchParams,
  items: readonly T[],
  limit: number,
  ids = true,
): void {
  const after = query.get("after");
  const at = after === null ? -1 : items.findIndex((item) => item.id === after);
  const start = after === null ? 0 : at === -1 ? items.length : at + 1;
  const data = items.slice(start, start + limit);
  const has_more = start + limit < items.length;
  const ends = ids ? { first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null } : {};
  sendJson(res, 200, { object: "list", data, ...ends, has_more });
}

/** Metadata rules shared with every OpenAI object: at most 16 pairs, keys ≤ 64 chars, string values ≤ 512 chars. */
export function parseMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("Invalid type for 'metadata': expected an object.", "metadata");
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 16)
    throw badRequest("Invalid 'metadata': too many properties. Expected at most 16.", "metadata");
  for (const [k, v] of entries) {
    if (k.length > 64) throw badRequest(`Invalid 'metadata': key '${k}' is longer than 64 characters.`, "metadata");
    if (typeof v !== "string") throw badRequest(`Invalid type for 'metadata.${k}': expected a string.`, "metadata");
    if (v.length > 512)
      throw badRequest(`Invalid 'metadata.${k}': string too long. Expected at most 512 characters.`, "metadata");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

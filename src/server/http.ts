import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Wire helpers shared by every route: the OpenAI error envelope, JSON responses with the headers the SDK relies on
 * (`Content-Type: application/json`, `x-request-id`), and JSON body parsing.
 */

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

/** Thrown by route code to answer with an error envelope; the router turns it into a response. */
export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError({ status: 400, message, type: "invalid_request_error", param, code });
}

export function notFound(message: string, param: string | null = "id", code: string | null = null): ApiError {
  return new ApiError({ status: 404, message, type: "invalid_request_error", param, code });
}

export function modelNotFound(model: string): ApiError {
  return new ApiError({
    status: 404,
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: "invalid_request_error",
    param: null,
    code: "model_not_found",
  });
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

export async function readBody(req: IncomingMessage, limit = MAX_JSON_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw badRequest("Request body too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body the way the real API does: anything else is a 400. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(req)).toString("utf8");
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

/** Cursor-list parameters shared by files, jobs, events and checkpoints. */
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

/**
 * One page of a newest-first (or given-order) list: items after the `after` id, at most `limit`.
 * An unknown `after` id gives an empty page, so a client paging across deletions stops instead of looping.
 */
export function page<T extends { id: string }>(items: readonly T[], after: string | null, limit: number) {
  let start = 0;
  if (after !== null) {
    const at = items.findIndex((item) => item.id === after);
    start = at === -1 ? items.length : at + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}

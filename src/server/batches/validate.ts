import type { BatchObject } from "../records.js";

/** One request of a batch's input file. */
export interface BatchLine {
  custom_id: string;
  body: Record<string, unknown>;
}

type BatchError = NonNullable<BatchObject["errors"]>["data"][number];

/** The Batch API's limit of requests per input file. */
export const MAX_REQUESTS = 50_000;

/**
 * Checks an input file the way the Batch API does while `validating`: every line a JSON object with a unique
 * `custom_id`, `method: POST`, the batch's endpoint as `url`, a `body` object, and one model for the whole file.
 * Problems come back as the documented error codes (invalid_json_line, duplicate_custom_id, url_mismatch,
 * model_mismatch, empty_file, too_many_tasks), each with its 1-based line, and fail the batch.
 */
export function validateInput(
  text: string,
  endpoint: string,
): { ok: true; lines: BatchLine[] } | { ok: false; errors: BatchError[] } {
  const errors: BatchError[] = [];
  const lines: BatchLine[] = [];
  const seen = new Set<string>();
  let model: string | undefined;
  const raw = text.split("\n");
  for (const [i, line] of raw.entries()) {
    if (line.trim() === "") continue;
    const at = i + 1;
    const fail = (code: string, message: string, param: string | null = null) =>
      errors.push({ code, message, param, line: at });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fail("invalid_json_line", "This line is not parseable as valid JSON.");
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      fail("invalid_json_line", "This line is not a JSON object.");
      continue;
    }
    const entry = value as Record<string, unknown>;
    if (typeof entry.custom_id !== "string" || entry.custom_id === "") {
      fail("missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id");
      continue;
    }
    if (seen.has(entry.custom_id)) {
      fail(
        "duplicate_custom_id",
        `The custom_id for this request is a duplicate of another request: ${entry.custom_id}.`,
        "custom_id",
      );
      continue;
    }
    seen.add(entry.custom_id);
    if (entry.method !== "POST") {
      fail("invalid_request", "The method of every request must be POST.", "method");
      continue;
    }
    if (entry.url !== endpoint) {
      fail("url_mismatch", `The URL provided for this request does not match the batch endpoint ${endpoint}.`, "url");
      continue;
    }
    if (entry.body === null || typeof entry.body !== "object" || Array.isArray(entry.body)) {
      fail("missing_required_parameter", "Missing required parameter: 'body'.", "body");
      continue;
    }
    const body = entry.body as Record<string, unknown>;
    const lineModel = typeof body.model === "string" ? body.model : undefined;
    if (model !== undefined && lineModel !== undefined && lineModel !== model) {
      fail("model_mismatch", "All requests in a batch must use the same model.", "body.model");
      continue;
    }
    model ??= lineModel;
    lines.push({ custom_id: entry.custom_id, body });
  }
  if (errors.length === 0 && lines.length === 0) {
    errors.push({ code: "empty_file", message: "The input file is empty.", param: null, line: null });
  }
  if (lines.length > MAX_REQUESTS) {
    errors.push({
      code: "too_many_tasks",
      message: `The input file has ${lines.length} requests; a batch takes at most ${MAX_REQUESTS}.`,
      param: null,
      line: null,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines };
}

import { COMPLETION_WINDOW_SECONDS } from "../batches/runner.js";
import { nowSeconds, type Route, type ServerContext } from "../context.js";
import {
  badRequest,
  newestFirst,
  notFound,
  parseLimit,
  parseMetadata,
  readJsonObject,
  sendJson,
  sendPage,
} from "../http.js";
import { newId } from "../ids.js";
import type { BatchObject } from "../records.js";

/** Batches: create, retrieve, list, cancel (https://platform.openai.com/docs/api-reference/batch). */

/** The endpoints this server runs in a batch: chat completions only. */
const ENDPOINTS = ["/v1/chat/completions"];

function getBatch(ctx: ServerContext, id: string): BatchObject {
  const batch = ctx.store.batches.get(id);
  if (!batch) throw notFound(`No batch found with id '${id}'.`, "batch_id");
  return batch;
}

async function create(ctx: ServerContext, body: Record<string, unknown>): Promise<BatchObject> {
  const inputId = body.input_file_id;
  if (typeof inputId !== "string" || inputId === "") {
    throw badRequest("Missing required parameter: 'input_file_id'.", "input_file_id");
  }
  const file = ctx.store.files.get(inputId);
  if (!file) throw notFound(`No such File object: ${inputId}`, "input_file_id");
  if (file.purpose !== "batch") {
    throw badRequest(
      `The input file must be uploaded with purpose 'batch', not '${file.purpose}'.`,
      "input_file_id",
      "invalid_value",
    );
  }
  if (typeof body.endpoint !== "string" || !ENDPOINTS.includes(body.endpoint)) {
    throw badRequest(
      `Invalid 'endpoint': the local provider batches ${ENDPOINTS.join(", ")}.`,
      "endpoint",
      "invalid_value",
    );
  }
  if (body.completion_window !== "24h") {
    throw badRequest("Invalid 'completion_window': expected '24h'.", "completion_window", "invalid_value");
  }
  const created = nowSeconds(ctx.clock);
  const batch: BatchObject = {
    id: newId.batch(),
    object: "batch",
    endpoint: body.endpoint,
    input_file_id: inputId,
    completion_window: "24h",
    status: "validating",
    created_at: created,
    expires_at: created + COMPLETION_WINDOW_SECONDS,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: parseMetadata(body.metadata),
  };
  await ctx.store.saveBatch(batch);
  ctx.batches.start(ctx, batch.id);
  return batch;
}

async function cancel(ctx: ServerContext, id: string): Promise<BatchObject> {
  const batch = getBatch(ctx, id);
  if (batch.status === "cancelling" || batch.status === "cancelled") return batch;
  if (batch.status !== "validating" && batch.status !== "in_progress") {
    throw badRequest(`Cannot cancel a batch with status '${batch.status}'.`, null, "batch_not_cancellable");
  }
  const cancelling: BatchObject = { ...batch, status: "cancelling", cancelling_at: nowSeconds(ctx.clock) };
  await ctx.store.saveBatch(cancelling);
  return cancelling;
}

export const batchRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/batches$/,
    creates: true,
    handler: async (ctx, { req, res }) => sendJson(res, 200, await create(ctx, await readJsonObject(req))),
  },
  {
    method: "GET",
    pattern: /^\/batches$/,
    handler: async (ctx, { res, query }) => {
      const batches = newestFirst(ctx.store.batches.values(), (b) => b.created_at);
      sendPage(res, query, batches, parseLimit(query, 20, 100));
    },
  },
  {
    method: "GET",
    pattern: /^\/batches\/([^/]+)$/,
    handler: async (ctx, { res, params }) => sendJson(res, 200, getBatch(ctx, params[0] ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/batches\/([^/]+)\/cancel$/,
    handler: async (ctx, { req, res, params }) => {
      req.resume();
      sendJson(res, 200, await cancel(ctx, params[0] ?? ""));
    },
  },
];

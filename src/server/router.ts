import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../core/clock.js";
import type { Route, ServerContext } from "./context.js";
import type { FaultInjector } from "./faults.js";
import { ApiError, type ApiFailure, sendError, sendJson } from "./http.js";
import { receiveUpload, TOGETHER_UPLOAD_PATH, togetherRoutes } from "./dialects/together.js";
import { newId } from "./ids.js";
import { batchRoutes } from "./routes/batches.js";
import { responseRoutes } from "./routes/responses.js";
import { chatRoutes } from "./routes/chat.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { fileRoutes } from "./routes/files.js";
import { jobRoutes } from "./routes/jobs.js";
import { modelRoutes } from "./routes/models.js";
import { uploadRoutes } from "./routes/uploads.js";

/**
 * One request, in order: request id, health check, prefix (/v1, Azure /openai, ARM), authentication, route
 * match, injected fault, handler. Expected failures thrown as ApiError become error envelopes here.
 */

const ROUTES: Route[] = [
  ...fileRoutes,
  ...uploadRoutes,
  ...jobRoutes,
  ...modelRoutes,
  ...chatRoutes,
  ...deploymentRoutes,
  ...batchRoutes,
  ...responseRoutes,
];

export interface HandleOptions {
  apiKey: string | undefined;
  faults: FaultInjector | undefined;
  clock: Clock;
  signal: AbortSignal;
}

export async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  o: HandleOptions,
): Promise<void> {
  res.setHeader("x-request-id", newId.request());
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname === "/health" && req.method === "GET") {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  // OpenAI clients use /v1; AzureOpenAI uses /openai; ARM deployment paths stand alone. Nebius Token Factory's API
  // is OpenAI's shape, so /nebius/v1 is served by the same routes (with its model names, see open-models.ts).
  const path = url.pathname.startsWith("/v1/")
    ? url.pathname.slice(3)
    : url.pathname.startsWith("/nebius/v1/")
      ? url.pathname.slice(10)
      : url.pathname.startsWith("/together/v1/")
        ? url.pathname.slice(12)
        : url.pathname.startsWith("/openai/")
          ? url.pathname.slice(7)
          : url.pathname;
  // Together's upload target stands for a signed storage URL: no API key, outside the API's prefixes.
  const upload = new RegExp(`^${TOGETHER_UPLOAD_PATH}/([^/]+)$`).exec(url.pathname);
  if (upload && req.method === "PUT") {
    const status = await receiveUpload(ctx, req, upload[1] ?? "");
    res.writeHead(status).end();
    return;
  }
  const auth = checkAuth(req, o.apiKey);
  if (auth) return sendError(res, auth);

  // Together's own endpoints first under its prefix; what it shares with OpenAI (chat, models) falls through.
  const candidates = url.pathname.startsWith("/together/v1/") ? [...togetherRoutes, ...ROUTES] : ROUTES;
  let params: string[] = [];
  const route = candidates.find((r) => {
    if (r.method !== req.method) return false;
    const m = r.pattern.exec(path);
    if (m) params = m.slice(1);
    return m !== null;
  });
  if (!route) {
    return sendError(res, {
      status: 404,
      message: `Invalid URL (${req.method} ${url.pathname})`,
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  }

  const fault = o.faults?.draw(path, route.creates === true);
  switch (fault) {
    case undefined:
      break;
    case "reset":
      req.socket.destroy();
      return;
    case "slow":
      await o.clock.sleep(o.faults?.slowMs ?? 0, o.signal);
      break;
    case "lost-create":
      // Let the route create its object, then drop the connection instead of answering.
      res.writeHead = () => res;
      res.end = () => {
        req.socket.destroy();
        return res;
      };
      break;
    case "429":
    case "500":
    case "400":
    case "401":
    case "quota":
      req.resume();
      return sendError(res, o.faults?.failure(fault) as ApiFailure);
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }

  try {
    await route.handler(ctx, { req, res, params, query: url.searchParams });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    req.resume();
    if (res.headersSent) res.destroy();
    else sendError(res, error.failure);
  }
}

/** 401 like the real API: no key at all, or (with `apiKey` set) a different key. The key is never echoed. */
function checkAuth(req: IncomingMessage, apiKey: string | undefined): ApiFailure | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  const azureKey = req.headers["api-key"];
  const key = bearer ?? (typeof azureKey === "string" ? azureKey : undefined);
  if (!key) {
    return {
      status: 401,
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      type: "invalid_request_error",
      param: null,
      code: null,
    };
  }
  if (apiKey !== undefined && key !== apiKey) {
    return {
      status: 401,
      message: "Incorrect API key provided. Check the key given to `tunefile serve --api-key`.",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    };
  }
  return undefined;
}

export function internalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  sendError(res, {
    status: 500,
    message: `The server had an error while processing your request (internal error, please report): ${detail}`,
    type: "server_error",
    param: null,
    code: null,
  });
}

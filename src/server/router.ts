import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route, ServerContext } from "./context.js";
import { ApiError, type ApiFailure, apiFailure, sendError, sendJson } from "./http.js";
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
 * One request, in order: request id, health check, prefix, authentication, route match, injected fault, handler.
 * Expected failures thrown as ApiError become error envelopes here.
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

/**
 * OpenAI clients use /v1, AzureOpenAI /openai; ARM deployment paths stand alone. Nebius Token Factory's API is
 * OpenAI's shape, so /nebius/v1 is served by the same routes (with its model names, see open-models.ts).
 */
const PREFIXES = ["/v1", "/nebius/v1", "/together/v1", "/openai"];

export async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  apiKey: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  res.setHeader("x-request-id", newId.request());
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname === "/health" && req.method === "GET") return sendJson(res, 200, { status: "ok" });
  const prefix = PREFIXES.find((p) => url.pathname.startsWith(`${p}/`));
  const path = prefix ? url.pathname.slice(prefix.length) : url.pathname;
  // Together's upload target stands for a signed storage URL: no API key, outside the API's prefixes.
  const upload = new RegExp(`^${TOGETHER_UPLOAD_PATH}/([^/]+)$`).exec(url.pathname);
  if (upload && req.method === "PUT") {
    res.writeHead(await receiveUpload(ctx, req, upload[1] ?? "")).end();
    return;
  }
  const auth = checkAuth(req, apiKey);
  if (auth) return sendError(res, auth);

  // Together's own endpoints first under its prefix; what it shares with OpenAI (chat, models) falls through.
  const candidates = prefix === "/together/v1" ? [...togetherRoutes, ...ROUTES] : ROUTES;
  let params: string[] = [];
  const route = candidates.find((r) => {
    if (r.method !== req.method) return false;
    const m = r.pattern.exec(path);
    if (m) params = m.slice(1);
    return m !== null;
  });
  if (!route) return sendError(res, apiFailure(404, `Invalid URL (${req.method} ${url.pathname})`));

  const { faults } = ctx;
  const fault = faults?.draw(path, route.creates === true);
  switch (fault) {
    case undefined:
      break;
    case "reset":
      req.socket.destroy();
      return;
    case "slow":
      await ctx.clock.sleep(faults!.spec.slowMs, signal);
      break;
    case "lost-create":
      // Let the route create its object, then drop the connection instead of answering.
      res.writeHead = () => res;
      res.end = () => {
        req.socket.destroy();
        return res;
      };
      break;
    default:
      req.resume();
      return sendError(res, faults!.failure(fault));
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
    return apiFailure(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  }
  if (apiKey !== undefined && key !== apiKey) {
    const message = "Incorrect API key provided. Check the key given to `tunefile serve --api-key`.";
    return apiFailure(401, message, { code: "invalid_api_key" });
  }
  return undefined;
}

export function internalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const message = `The server had an error while processing your request (internal error, please report): ${detail}`;
  sendError(res, apiFailure(500, message, { type: "server_error" }));
}

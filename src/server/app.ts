import { mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, systemClock } from "../util/clock.js";
import type { Route, ServerContext } from "./context.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import { ApiError, type ApiFailure, sendError, sendJson } from "./http.js";
import { newId } from "./ids.js";
import { JobRunner } from "./jobs/runner.js";
import { chatRoutes } from "./routes/chat.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { fileRoutes } from "./routes/files.js";
import { jobRoutes } from "./routes/jobs.js";
import { modelRoutes } from "./routes/models.js";
import { uploadRoutes } from "./routes/uploads.js";
import { lockStateDir } from "./state-lock.js";
import { Store } from "./store.js";
import { loadTrainer } from "./trainer-loader.js";

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Where files, jobs, events, checkpoints and models are persisted. */
  stateDir: string;
  /** When set, only this key is accepted; otherwise any non-empty key is. */
  apiKey?: string;
  /** Minimum wall time per training step in ms. Default 0. */
  stepMs?: number;
  /** Fault injection (src/server/faults.ts). Default: none. */
  faults?: FaultSpec;
  /** Time source for timestamps and pacing. Default: the system clock. */
  clock?: Clock;
}

export interface LocalServer {
  /** Base URL for OpenAI clients, e.g. http://127.0.0.1:8787/v1. */
  url: string;
  /** Stops accepting requests, stops training loops (jobs resume on the next start) and flushes state. */
  close(): Promise<void>;
}

/** Name segment of fine-tuned models (`ft:<base>:local:<suffix>:<id>`) and owner of jobs and models. */
const ORGANIZATION = "local";

const ROUTES: Route[] = [
  ...fileRoutes,
  ...uploadRoutes,
  ...jobRoutes,
  ...modelRoutes,
  ...chatRoutes,
  ...deploymentRoutes,
];

/** The local OpenAI-compatible provider (DESIGN §5), in-process: for `tunefile serve`, the runner and the tests. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const clock = options.clock ?? systemClock;
  const closing = new AbortController();
  await mkdir(options.stateDir, { recursive: true });
  // Throws StateDirInUseError when another live server owns this state.
  const lock = await lockStateDir(options.stateDir);
  const store = await Store.open(options.stateDir);
  const trainer = await loadTrainer();
  const runner = new JobRunner({
    store,
    clock,
    trainer,
    stepMs: options.stepMs ?? 0,
    organization: ORGANIZATION,
    signal: closing.signal,
  });
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;
  const ctx: ServerContext = {
    store,
    clock,
    trainer,
    runner,
    faults,
    organization: ORGANIZATION,
    baseSnapshots: new Map(),
  };

  const server = createServer((req, res) => {
    handle(ctx, req, res, { apiKey: options.apiKey, faults, clock, signal: closing.signal }).catch((error) => {
      internalError(res, error);
    });
  });
  // Keep idle connections well past the clients' own keep-alive (undici: 4 s). With Node's default of 5 s, a timer
  // delayed by a busy event loop (a training run starting) closes a socket just as the client reuses it: ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  await runner.recover();

  const { port } = server.address() as AddressInfo;
  const host = options.host === undefined || options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    async close() {
      closing.abort(new Error("server closing"));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await runner.settle();
      await store.flush();
      await lock.release();
    },
  };
}

interface HandleOptions {
  apiKey: string | undefined;
  faults: FaultInjector | undefined;
  clock: Clock;
  signal: AbortSignal;
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, o: HandleOptions): Promise<void> {
  res.setHeader("x-request-id", newId.request());
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname === "/health" && req.method === "GET") {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  // OpenAI clients use /v1; AzureOpenAI uses /openai; ARM deployment paths stand alone.
  const path = url.pathname.startsWith("/v1/")
    ? url.pathname.slice(3)
    : url.pathname.startsWith("/openai/")
      ? url.pathname.slice(7)
      : url.pathname;
  const auth = checkAuth(req, o.apiKey);
  if (auth) return sendError(res, auth);

  let params: string[] = [];
  const route = ROUTES.find((r) => {
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

function internalError(res: ServerResponse, error: unknown): void {
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

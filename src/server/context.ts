import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../core/clock.js";
import type { FaultInjector } from "./faults.js";
import type { JobRunner } from "./jobs/runner.js";
import type { Store } from "./store.js";
import type { ModelSnapshot, TrainerApi } from "./trainer/types.js";

/** What every route handler gets: the state, the clock, the trainer and the job runner. */
export interface ServerContext {
  store: Store;
  clock: Clock;
  trainer: TrainerApi;
  runner: JobRunner;
  /** Runs batches in the background (batches/runner.ts; typed by what routes need, so the runner can use this type). */
  batches: { start(ctx: ServerContext, id: string): void };
  /** Base models built by the trainer, once per snapshot per server. */
  baseSnapshots: Map<string, ModelSnapshot>;
  /** Fault injection, when configured (also decides which jobs fail on purpose). */
  faults: FaultInjector | undefined;
}

export { nowSeconds } from "./time.js";

/** One request as a route sees it: path parameters from the pattern and the parsed query string. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Matched against the path after the `/v1` (or Azure `/openai`) prefix; capture groups become `params`. */
  pattern: RegExp;
  handler: (ctx: ServerContext, r: RouteRequest) => Promise<void>;
  /** The route creates something; the `lost-create` fault applies to it. */
  creates?: boolean;
}

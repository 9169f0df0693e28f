import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { lockStateDir } from "../core/state-dir-lock.js";
import { type Clock, systemClock } from "../core/clock.js";
import type { ServerContext } from "./context.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import { JobRunner } from "./jobs/runner.js";
import { BatchRunner } from "./batches/runner.js";
import { handle, internalError } from "./router.js";
import { Store } from "./store.js";
import * as trainer from "./trainer/index.js";

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
  /** Minimum wall time per request of a batch in progress, in ms (TUNEFILE_LOCAL_BATCH_MS). Default 0. */
  batchMs?: number;
  /** Enqueued-token limit per model for batches (TUNEFILE_LOCAL_BATCH_TOKENS). Default 0: none. */
  batchTokens?: number;
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

/** The local OpenAI-compatible provider, in-process: for `tunefile serve`, the runner and the tests. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const clock = options.clock ?? systemClock;
  const closing = new AbortController();
  await mkdir(options.stateDir, { recursive: true });
  // Throws StateDirInUseError when another live server owns this state. The lock's heartbeat is file mtimes, real
  // time, so it is judged against the system clock even when the server is given another one.
  const lock = await lockStateDir(options.stateDir, systemClock.now());
  const store = await Store.open(options.stateDir);
  const runner = new JobRunner({ store, clock, stepMs: options.stepMs ?? 0, signal: closing.signal });
  const batches = new BatchRunner({
    clock,
    requestMs: options.batchMs ?? 0,
    tokenLimit: options.batchTokens ?? 0,
    signal: closing.signal,
  });
  const ctx: ServerContext = {
    store,
    clock,
    trainer,
    runner,
    batches,
    faults: options.faults ? new FaultInjector(options.faults) : undefined,
    baseSnapshots: new Map(),
  };

  const server = createServer((req, res) => {
    handle(ctx, req, res, options.apiKey, closing.signal).catch((error) => internalError(res, error));
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
  batches.recover(ctx);

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
      await batches.settle();
      await store.flush();
      await lock.release();
    },
  };
}

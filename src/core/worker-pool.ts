import type { Piscina } from "piscina";

export interface PoolOptions {
  /** Most threads. */
  threads: number;
  /** Threads kept even when idle. Default: `threads` (started at once). */
  minThreads?: number;
  resourceLimits?: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number };
}

/**
 * A pool of worker threads (piscina) running the default export of the worker module `name` beside the calling
 * module: the compiled `.js` when tunefile runs from dist/ (every user), the `.ts` source when the caller itself is
 * TypeScript (the tests, `tsx src/…`), which a small bootstrap loads through tsx inside each thread. Both run the
 * same worker code. piscina itself is loaded only when a pool starts: a run whose stages are all fresh never needs it.
 */
export async function startPool(name: string, moduleUrl: string, options: PoolOptions): Promise<Piscina> {
  const { Piscina } = await import("piscina");
  const threads = Math.max(1, options.threads);
  const fromSource = moduleUrl.endsWith(".ts");
  return new Piscina({
    filename: fromSource ? new URL("./tsx-worker.mjs", import.meta.url).href : new URL(`./${name}.js`, moduleUrl).href,
    minThreads: Math.min(options.minThreads ?? threads, threads),
    maxThreads: threads,
    // Idle threads above minThreads end soon; idle threads never keep the process alive.
    idleTimeout: 1_000,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    ...(fromSource ? { workerData: { tsModule: new URL(`./${name}.ts`, moduleUrl).href } } : {}),
  });
}

import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker script `name` that sits beside the calling module: the compiled `.js` when tunefile runs from
 * dist/ (every user), the `.ts` source when the caller itself is TypeScript (the tests, `tsx src/…`), loaded through
 * tsx's loader registered inside the worker. Both run the same worker code: there is no path that quietly does the
 * work on the calling thread instead.
 */
export function startWorker(name: string, moduleUrl: string, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, moduleUrl), options);
  const source = new URL(`./${name}.ts`, moduleUrl).href;
  // Workers take no --import flag: a tiny module registers tsx in the worker, then loads the TypeScript source.
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}

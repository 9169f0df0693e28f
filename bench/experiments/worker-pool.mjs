#!/usr/bin/env node
// Experiment, not part of `npm run bench`: how fast and how big would validation be with the per-example work
// (JSON.parse, the shared format checks, token counting) in worker threads? It bounds what a worker pool in
// src/data could reach on this machine, for RESULTS.md's "what would close the gap".
//
// The main thread only reads bytes and cuts them at line ends into batches (~1 MB); it never loads the tokenizer.
// Each worker loads the encoding once and runs the same code as validate (dist/data). At most 2 batches per
// worker are in flight, so memory stays bounded whatever the file size.
//
//   node bench/experiments/worker-pool.mjs FILE [WORKERS] [YOUNG_GEN_MB]   (prints one JSON line; run it under /usr/bin/time -f %M)

import { createReadStream } from "node:fs";
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { loadTokenCounter, countExampleTokens } = await import(workerData.tokensUrl);
  const { checkExample } = await import(workerData.checksUrl);
  const counter = await loadTokenCounter("o200k_base");
  const decoder = new TextDecoder("utf-8");
  parentPort.on("message", (batch) => {
    const text = decoder.decode(batch);
    let examples = 0, tokens = 0, problems = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\\n", start);
      if (end === -1) end = text.length;
      if (end > start) {
        const value = JSON.parse(text.slice(start, end));
        examples++;
        tokens += countExampleTokens(value, "supervised", counter).total;
        problems += checkExample(value, "supervised").length;
      }
      start = end + 1;
    }
    parentPort.postMessage({ examples, tokens, problems });
  });
  parentPort.postMessage({ ready: true });
})();
`;

const file = process.argv[2];
const nWorkers = Number(process.argv[3] ?? 2);
/** Optional V8 young-generation cap per worker (MB): less garbage-collector headroom, less RSS, more GC time. */
const youngMb = process.argv[4] ? Number(process.argv[4]) : undefined;
const workerData = {
  tokensUrl: new URL("../../dist/data/tokens.js", import.meta.url).href,
  checksUrl: new URL("../../dist/data/format-checks/index.js", import.meta.url).href,
};

const started = performance.now();
const workers = await Promise.all(
  Array.from({ length: nWorkers }, async () => {
    const resourceLimits = youngMb ? { maxYoungGenerationSizeMb: youngMb } : undefined;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData, resourceLimits });
    await new Promise((resolve) => w.once("message", resolve));
    return { w, inFlight: 0 };
  }),
);

const totals = { examples: 0, tokens: 0, problems: 0 };
let waiting = [];
for (const slot of workers) {
  slot.w.on("message", (m) => {
    slot.inFlight--;
    totals.examples += m.examples;
    totals.tokens += m.tokens;
    totals.problems += m.problems;
    const wake = waiting;
    waiting = [];
    for (const f of wake) f();
  });
}

/** The least busy worker with room, waiting while every worker has 2 batches in flight. */
async function freeSlot() {
  for (;;) {
    const slot = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    if (slot.inFlight < 2) return slot;
    await new Promise((resolve) => waiting.push(resolve));
  }
}

let carry = Buffer.alloc(0);
let bytes = 0;
for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
  bytes += chunk.length;
  const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
  const cut = buf.lastIndexOf(0x0a);
  if (cut < 0) {
    carry = buf;
    continue;
  }
  const batch = buf.subarray(0, cut + 1);
  carry = Buffer.from(buf.subarray(cut + 1));
  const slot = await freeSlot();
  slot.inFlight++;
  // A copy, transferred: the worker owns it and the main thread's chunk can be collected.
  const owned = new Uint8Array(batch);
  slot.w.postMessage(owned, [owned.buffer]);
}
if (carry.length > 0) {
  const slot = await freeSlot();
  slot.inFlight++;
  const owned = new Uint8Array(carry);
  slot.w.postMessage(owned, [owned.buffer]);
}
while (workers.some((s) => s.inFlight > 0)) await new Promise((resolve) => waiting.push(resolve));
const ms = performance.now() - started;
await Promise.all(workers.map((s) => s.w.terminate()));
console.log(JSON.stringify({ workers: nWorkers, bytes, ...totals, ms, mbPerSec: bytes / 1e6 / (ms / 1000) }));

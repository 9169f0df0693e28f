import { parentPort, workerData } from "node:worker_threads";
import { type ScanRequest, type ScanSettings, scanBatch } from "./scan-batch.js";
import { loadTokenCounter } from "./tokens.js";

// The worker side of ScanPool: one tokenizer and one chunk cache for every batch this thread scans.
const settings = workerData as ScanSettings;
const counter = loadTokenCounter(settings.encoding);

parentPort?.on("message", async (request: ScanRequest) => {
  const result = scanBatch(request, settings, await counter);
  const transfer = [result.stats.buffer as ArrayBuffer, ...(result.buffer ? [result.buffer] : [])];
  parentPort?.postMessage(result, transfer);
});

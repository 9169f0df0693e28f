import { parentPort } from "node:worker_threads";
import type { Encoding, TrainingMethod } from "../core/catalog/models.js";
import { countExampleTokens, loadTokenCounter } from "./tokens.js";

/** A batch of examples to count, and the answer: [total, assistant, approximate (0/1)] per example. */
export interface TokenBatchRequest {
  id: number;
  encoding: Encoding;
  method: TrainingMethod;
  examples: unknown[];
}
export interface TokenBatchResponse {
  id: number;
  counts: Float64Array;
}

// The worker side of TokenPool: the same countExampleTokens as the main thread, so counts are identical.
parentPort?.on("message", async (request: TokenBatchRequest) => {
  const counter = await loadTokenCounter(request.encoding);
  const counts = new Float64Array(request.examples.length * 3);
  request.examples.forEach((example, i) => {
    const tokens = countExampleTokens(example, request.method, counter);
    counts[i * 3] = tokens.total;
    counts[i * 3 + 1] = tokens.assistant;
    counts[i * 3 + 2] = tokens.approximate ? 1 : 0;
  });
  const response: TokenBatchResponse = { id: request.id, counts };
  parentPort?.postMessage(response, [counts.buffer]);
});

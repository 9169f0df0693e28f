import { startWorker } from "../core/worker-script.js";
import type { Worker } from "node:worker_threads";
import type { Encoding, TrainingMethod } from "../core/catalog/models.js";
import { WORKER_LIMITS } from "./scan-pool.js";
import type { TokenBatchRequest, TokenBatchResponse } from "./token-worker.js";
import type { ExampleTokens } from "./tokens.js";

interface Slot {
  worker: Worker;
  pending: number;
}

/**
 * Worker threads that count examples' tokens, the most expensive step of the analysis, so that it runs beside
 * reading, parsing and checking on the main thread. Batches are answered in any order; callers await each one.
 */
export class TokenPool {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (t: ExampleTokens[]) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly slots: Slot[],
    private readonly encoding: Encoding,
    private readonly method: TrainingMethod,
  ) {
    for (const slot of slots) {
      slot.worker.on("message", (response: TokenBatchResponse) => {
        slot.pending--;
        const waiter = this.waiting.get(response.id);
        this.waiting.delete(response.id);
        waiter?.resolve(decode(response.counts));
      });
      slot.worker.on("error", (err) => this.failAll(err));
    }
  }

  /** Starts `size` workers; undefined for a size below 1 (the caller then counts on its own thread). */
  static start(size: number, encoding: Encoding, method: TrainingMethod): TokenPool | undefined {
    if (size < 1) return undefined;
    const slots = Array.from({ length: size }, () => ({
      worker: startWorker("token-worker", import.meta.url, { resourceLimits: WORKER_LIMITS }),
      pending: 0,
    }));
    return new TokenPool(slots, encoding, method);
  }

  /** Token counts of the examples, in their order. */
  count(examples: unknown[]): Promise<ExampleTokens[]> {
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.pending++;
      const request: TokenBatchRequest = { id, encoding: this.encoding, method: this.method, examples };
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.failAll(new Error("token pool closed"));
  }

  private failAll(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}

function decode(counts: Float64Array): ExampleTokens[] {
  const out: ExampleTokens[] = [];
  for (let i = 0; i < counts.length; i += 3) {
    out.push({ total: counts[i]!, assistant: counts[i + 1]!, approximate: counts[i + 2] === 1 });
  }
  return out;
}

import { startWorker } from "../core/worker-script.js";
import type { Worker } from "node:worker_threads";
import type { ScanRequest, ScanResult, ScanSettings } from "./scan-batch.js";
import { scanBatch } from "./scan-batch.js";
import { loadTokenCounter } from "./tokens.js";

/**
 * Scans batches of JSONL bytes (decode, parse, check, count: see scanBatch) in worker threads, so the reading
 * thread only finds newlines. Each batch's bytes are transferred, not copied. With no workers asked for, or for a
 * batch too large for a worker's heap, batches are scanned on the calling thread, with the same results.
 */
export class ScanPool {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: ScanResult) => void; reject: (e: Error) => void }>();
  private readonly load: number[];

  private constructor(
    private readonly workers: Worker[],
    private readonly settings: ScanSettings,
  ) {
    this.load = workers.map(() => 0);
    workers.forEach((worker, i) => {
      worker.on("message", (result: ScanResult) => {
        this.load[i]!--;
        const waiter = this.pending.get(result.id);
        this.pending.delete(result.id);
        waiter?.resolve(result);
      });
      worker.on("error", (err) => this.failAll(err));
    });
  }

  /** Threads the pool starts, or 0 when it scans on the calling thread. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `size` workers. Each loads the encoding's tables once (tens of MB), so the caller sizes the pool by
   * the input and the cores.
   */
  static start(size: number, settings: ScanSettings): ScanPool {
    if (size < 1) return new ScanPool([], settings);
    const workers = Array.from({ length: size }, () =>
      startWorker("scan-worker", import.meta.url, { workerData: settings, resourceLimits: WORKER_LIMITS }),
    );
    return new ScanPool(workers, settings);
  }

  /** Scans one batch; its bytes are moved to the worker and unusable here afterwards. */
  async scan(bytes: Uint8Array, file: string, firstLine: number): Promise<ScanResult> {
    const request: ScanRequest = { id: this.nextId++, bytes, file, firstLine };
    // A batch holding a very long line could overrun a worker's heap limit: this thread has no such limit.
    if (this.workers.length === 0 || bytes.byteLength > MAX_WORKER_BATCH_BYTES) {
      return scanBatch(request, this.settings, await loadTokenCounter(this.settings.encoding));
    }
    let slot = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[slot]!) slot = i;
    this.load[slot]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.workers[slot]!.postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error("scan pool closed"));
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}

/**
 * Heap limits per worker: left alone, a worker's heap grew to about 90 MB of tables, caches and garbage. Its live
 * data is about 35 MB (the o200k_base tables ~21 MB, the chunk cache a few MB, one batch), so 64 MB leaves room,
 * and a 1 MB young generation keeps the garbage of each batch short-lived.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 64 };

/** Larger batches (one holds a line of megabytes) are scanned on the calling thread, whose heap is not capped. */
const MAX_WORKER_BATCH_BYTES = 4 << 20;

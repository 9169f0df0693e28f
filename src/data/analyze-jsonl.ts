import type { DiagnosticSink } from "./analyze-set.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { STATS_STRIDE, type ScanResult } from "./scan-batch.js";
import type { ScanPool } from "./scan-pool.js";
import type { ExpandedSource } from "./sources/index.js";
import { BufferRecycler, readLineBatches } from "./sources/line-batches.js";
import { type SetStats, StatsAccumulator } from "./stats.js";

/** Options of {@link analyzeJsonlSet}. */
export interface JsonlSetOptions {
  pool: ScanPool;
  maxTokensPerExample: number;
  maxLineBytes: number;
  /** Bytes per batch handed to a worker. */
  batchBytes: number;
  sink: DiagnosticSink;
  /** Where to write the examples (prepare); the pool must then have been started with `wantLines`. */
  writer?: JsonlWriter | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The per-example pass over a set made only of JSONL files with no transforms, the common large case: this
 * thread cuts the files into batches of whole lines and the pool's workers do the rest. Results are applied
 * strictly in file and line order, so statistics, diagnostics and the written file equal the line-by-line pass;
 * a bounded number of batches is in flight, so memory does not grow with the input.
 */
export async function analyzeJsonlSet(source: ExpandedSource, options: JsonlSetOptions): Promise<SetStats> {
  const stats = new StatsAccumulator(options.maxTokensPerExample);
  const inFlight: Promise<ScanResult | undefined>[] = [];
  // Two batches per worker keep each busy while its next batch is on the way; one when scanning in-thread.
  const maxInFlight = Math.max(1, options.pool.size * 2);
  // Room for the batch plus a partial line carried over; a longer carry gets a buffer of its own.
  const buffers = new BufferRecycler(options.batchBytes + 64 * 1024);
  const apply = async (result: ScanResult | undefined) => {
    if (!result) return;
    if (result.buffer) buffers.give(result.buffer);
    for (const d of result.diagnostics) options.sink.add(d);
    const s = result.stats;
    for (let i = 0; i < result.examples; i++) {
      const at = i * STATS_STRIDE;
      const tokens = { total: s[at + 1]!, assistant: s[at + 2]!, approximate: s[at + 3] === 1 };
      stats.addCounts(s[at]!, s[at + 4] === 1, s[at + 5] === 1, tokens);
    }
    if (options.writer && result.lines !== undefined) await options.writer.writeLines(result.lines, result.examples);
  };
  const limits = { maxLineBytes: options.maxLineBytes, chunkBytes: options.batchBytes };
  try {
    for (const entry of source.entries) {
      for (const diagnostic of entry.diagnostics) {
        inFlight.push(Promise.resolve({ ...EMPTY_RESULT, diagnostics: [diagnostic] }));
      }
      for (const file of entry.files) {
        for await (const batch of readLineBatches(file, limits, buffers)) {
          options.signal?.throwIfAborted();
          const result =
            batch.kind === "lines"
              ? options.pool.scan(batch.bytes, file.display, batch.firstLine)
              : Promise.resolve({ ...EMPTY_RESULT, diagnostics: [batch.diagnostic] });
          // Awaited in order below; until then a failure must not count as unhandled.
          result.catch(() => undefined);
          inFlight.push(result);
          while (inFlight.length > maxInFlight) await apply(await inFlight.shift());
        }
      }
    }
    while (inFlight.length > 0) await apply(await inFlight.shift());
  } finally {
    // On an abort or a failure, let the batches still out settle (their errors are already handled above).
    await Promise.allSettled(inFlight);
  }
  return stats.result();
}

const EMPTY_RESULT: ScanResult = { id: -1, examples: 0, stats: new Float64Array(0), diagnostics: [] };

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticSink } from "./diagnostic-sink.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { STATS_STRIDE, type ScanRequest, type ScanResult, type ScanSettings } from "./scan-batch.js";
import type { ScanPool } from "./scan-pool.js";
import type { ExpandedSource } from "./sources/index.js";
import { type BufferRecycler, readLineBatches } from "./sources/line-batches.js";
import { type SetStats, StatsAccumulator } from "./stats.js";

/** What a set's pass is fed: batches to scan, or problems found while reading, in their order. */
export type SetInput = ScanRequest | { problem: Diagnostic };

/** Options of {@link scanSet}. */
export interface ScanSetOptions {
  pool: ScanPool;
  maxTokensPerExample: number;
  sink: DiagnosticSink;
  /** Where to write the examples (prepare); the batches' settings must then ask for lines. */
  writer?: JsonlWriter | undefined;
  /** Receives the buffers of scanned batches for reuse. */
  buffers?: BufferRecycler | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The per-example pass over one set, the same for validate and prepare, for plain JSONL and for transformed
 * examples: batches are scanned (in the pool's threads, or here) and their results applied strictly in input
 * order, so statistics, diagnostics and the written file do not depend on the threads; a bounded number of
 * batches is in flight, so memory does not grow with the input.
 */
export async function scanSet(input: AsyncIterable<SetInput>, options: ScanSetOptions): Promise<SetStats> {
  const stats = new StatsAccumulator(options.maxTokensPerExample);
  const inFlight: Promise<ScanResult | { problem: Diagnostic }>[] = [];
  // Two batches per thread keep each busy while its next batch is on the way; one when scanning here.
  const maxInFlight = Math.max(1, options.pool.size * 2);
  const apply = async (result: ScanResult | { problem: Diagnostic }) => {
    if ("problem" in result) {
      options.sink.add(result.problem);
      return;
    }
    for (const p of result.problems) options.sink.add(p.diagnostic);
    const s = result.stats;
    for (let i = 0; i < result.examples; i++) {
      const at = i * STATS_STRIDE;
      const tokens = { total: s[at + 1]!, assistant: s[at + 2]!, approximate: s[at + 3] === 1 };
      stats.addCounts(s[at]!, s[at + 4] === 1, s[at + 5] === 1, tokens);
    }
    if (options.writer && result.lines !== undefined) await options.writer.writeLines(result.lines, result.examples);
    // Only now: the lines written may be a view of this buffer.
    options.buffers?.give(result.buffer);
  };
  try {
    for await (const next of input) {
      options.signal?.throwIfAborted();
      const result = "problem" in next ? Promise.resolve(next) : options.pool.scan(next);
      // Awaited in order below; until then a failure must not count as unhandled.
      result.catch(() => undefined);
      inFlight.push(result);
      while (inFlight.length > maxInFlight) await apply(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await apply(await inFlight.shift()!);
  } finally {
    // On an abort or a failure, let the batches still out settle (their errors are already handled above).
    await Promise.allSettled(inFlight);
  }
  return stats.result();
}

/** Bytes per batch: large enough that handing it to a thread costs little, small enough for memory. */
export const BATCH_BYTES = 512 * 1024;

/**
 * A set made only of JSONL files with nothing to transform, the common large case: the files cut into batches of
 * whole lines, undecoded (finding newlines is all the reading thread does).
 */
export async function* jsonlBatches(
  source: ExpandedSource,
  settings: ScanSettings,
  buffers: BufferRecycler,
  batchBytes = BATCH_BYTES,
): AsyncGenerator<SetInput> {
  for (const entry of source.entries) {
    for (const problem of entry.diagnostics) yield { problem };
    for (const file of entry.files) {
      const limits = { maxLineBytes: settings.maxLineBytes, chunkBytes: batchBytes };
      for await (const batch of readLineBatches(file, limits, buffers)) {
        yield batch.kind === "lines"
          ? { bytes: batch.bytes, settings, file: file.display, firstLine: batch.firstLine }
          : { problem: batch.diagnostic };
      }
    }
  }
}

/**
 * Examples already read (and transformed) on this thread, as batches of compact JSON lines that remember each
 * example's source file and line. JSON that was already parsed needs no line limit.
 */
export async function* itemBatches(items: AsyncIterable<DataItem>, settings: ScanSettings): AsyncGenerator<SetInput> {
  const unlimited = { ...settings, maxLineBytes: Number.MAX_SAFE_INTEGER };
  let lines: string[] = [];
  let origins: { file: string; line: number }[] = [];
  let length = 0;
  const batch = (): ScanRequest => {
    // Its own ArrayBuffer (never Node's shared Buffer pool), as it is moved to another thread.
    const bytes = encoder.encode(lines.join(""));
    const request = { bytes, settings: unlimited, file: "", firstLine: 1, origins };
    lines = [];
    origins = [];
    length = 0;
    return request;
  };
  for await (const item of items) {
    let line: string;
    try {
      line = `${JSON.stringify(item.value)}\n`;
    } catch {
      // JSON.parse accepts deeper nesting than JSON.stringify's stack allows.
      yield { problem: tooDeep(item) };
      continue;
    }
    lines.push(line);
    origins.push({ file: item.file, line: item.line });
    length += line.length;
    if (length >= BATCH_BYTES / 2) yield batch();
  }
  if (lines.length > 0) yield batch();
}

const encoder = new TextEncoder();

function tooDeep(item: DataItem): Diagnostic {
  const span = { file: item.file, line: item.line, col: 1 };
  return { severity: "error", code: "invalid-json", message: `${item.file}:${item.line} is nested too deeply`, span };
}

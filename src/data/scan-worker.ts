import { move, transferableSymbol, valueSymbol } from "piscina";
import { type ScanRequest, type ScanResult, scanBatch } from "./scan-batch.js";
import { adoptRankTable, type RankTable } from "./tokenizer/rank-table.js";
import { loadTokenCounter } from "./tokens.js";

/** A batch, and the rank table of its encoding, built once by the thread that owns the pool (shared, not copied). */
export interface ScanTask {
  request: ScanRequest;
  table: RankTable;
}

/**
 * A pool task: the same scanBatch as the calling thread runs, with this thread's tokenizer and chunk cache. The
 * request's buffer (which also holds the lines to write) is moved back, not copied: the reading thread reuses it.
 * The statistics are copied: memory allocated here and freed there fragments the C heap.
 */
export default async function scan({ request, table }: ScanTask): Promise<ScanResult> {
  adoptRankTable(request.settings.encoding, table);
  const result = scanBatch(request, await loadTokenCounter(request.settings.encoding));
  const buffers = new Set([result.buffer, result.lines?.buffer].filter((b) => b !== undefined));
  const moved = move({ [transferableSymbol]: [...buffers], [valueSymbol]: result });
  // piscina unwraps the moved value: the calling thread receives the ScanResult itself.
  return moved as unknown as ScanResult;
}

import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import type { Encoding } from "../core/catalog/models.js";
import { type ScanRequest, type ScanResult, scanBatch } from "./scan-batch.js";
import { adoptRankTable, type RankTable } from "./tokenizer/rank-table.js";
import { loadTokenCounter } from "./tokens.js";

/** What every scan thread is given: the rank tables, built once by the thread that started the pool. */
export interface ScanWorkerData {
  tables: Partial<Record<Encoding, RankTable>>;
}

for (const [encoding, table] of Object.entries((workerData as ScanWorkerData).tables)) {
  adoptRankTable(encoding as Encoding, table);
}

/**
 * A pool task: the same scanBatch as the calling thread runs, with this thread's tokenizer and chunk cache. The
 * statistics and the request's buffer are moved back, not copied (the reading thread reuses the buffer).
 */
export default async function scan(request: ScanRequest): Promise<ScanResult> {
  const result = scanBatch(request, await loadTokenCounter(request.settings.encoding));
  const moved = move({
    [transferableSymbol]: [...new Set([result.stats.buffer, result.buffer, result.lines?.buffer])].filter(
      (b) => b !== undefined,
    ),
    [valueSymbol]: result,
  });
  // piscina unwraps the moved value: the calling thread receives the ScanResult itself.
  return moved as unknown as ScanResult;
}

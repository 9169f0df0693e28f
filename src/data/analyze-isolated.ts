import { rm } from "node:fs/promises";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { startPool } from "../core/worker-pool.js";
import { analysisPath } from "./analyze.js";
import {
  type AnalyzeWorkerInput,
  analyzeToFiles,
  type IsolatedAnalysis,
  type IsolatedOptions,
} from "./analyze-to-files.js";

/**
 * Heap limits of the analysis thread. The streaming path's live data is small (12 bytes of spill offsets and up
 * to 32 bytes of dedupe digest per example, the batches in flight), but an uncapped thread let its heap grow with
 * garbage: 214 MB peak RSS on 157 MB with dedupe, shuffle and split, 137 MB with these caps.
 */
const ANALYSIS_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

/**
 * {@link analyzeDataset} for `validate` and the prepare stage, with bounded memory whatever the input. Large
 * inputs that need reading and transforming here (transforms, split, CSV or JSON files) are analyzed, and their
 * files written, on one worker thread with a capped heap; plain JSONL only splits lines on this thread, and small
 * inputs stay here. The caller publishes or discards the sealed files; on a failure or an abort the temp files are
 * removed here.
 */
export async function analyzeIsolated(pipeline: LoadedPipeline, options: IsolatedOptions): Promise<IsolatedAnalysis> {
  try {
    const { path, bytes } = await analysisPath(pipeline);
    const large = (options.workers ?? 0) > 0 && bytes >= (options.minBytesForWorkers ?? 8_000_000);
    if (path === "scan" || !large) return await analyzeToFiles(pipeline, options);
    return await onAnalysisThread({ pipeline, options: { ...options, signal: undefined } }, options.signal);
  } catch (error) {
    if (options.outputs)
      await Promise.all([options.outputs.train, options.outputs.validation].map((o) => rm(o.temp, { force: true })));
    throw error;
  }
}

async function onAnalysisThread(input: AnalyzeWorkerInput, signal: AbortSignal | undefined): Promise<IsolatedAnalysis> {
  signal?.throwIfAborted();
  const pool = await startPool("analyze-worker", import.meta.url, { threads: 1, resourceLimits: ANALYSIS_LIMITS });
  try {
    return await pool.run(input, signal ? { signal } : {});
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    await pool.destroy();
  }
}

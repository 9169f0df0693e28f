import { startWorker } from "../core/worker-script.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { type AnalyzeOptions, analysisPath, analyzeDataset, type DatasetAnalysis } from "./analyze.js";
import type { AnalyzeWorkerInput } from "./analyze-worker.js";

/**
 * Heap limits of the analysis thread. The streaming path's live data is small (the tokenizer tables ~21 MB,
 * 12 bytes of spill offsets and up to 32 bytes of dedupe digest per example), but an uncapped main thread let its
 * heap grow with garbage: 214 MB peak RSS on 157 MB with dedupe, shuffle and split, 137 MB with these caps. A
 * 1 MB young generation saved another 10 MB but cost 12% more CPU in scavenges.
 */
const ANALYSIS_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

/**
 * {@link analyzeDataset} for `validate`, with bounded memory whatever the input. Large inputs that need the
 * streaming path (transforms, split, CSV or JSON files) are analyzed on one worker thread with a capped heap; plain
 * JSONL already runs in capped scan workers, and small inputs stay on this thread. Writers cannot cross threads,
 * so the prepare stage calls analyzeDataset directly.
 */
export async function analyzeIsolated(
  pipeline: LoadedPipeline,
  options: Omit<AnalyzeOptions, "writers">,
): Promise<DatasetAnalysis> {
  const { path, bytes } = await analysisPath(pipeline);
  const large = (options.workers ?? 0) > 0 && bytes >= (options.minBytesForWorkers ?? 8_000_000);
  if (path === "scan" || !large) return analyzeDataset(pipeline, options);
  options.signal?.throwIfAborted();
  const input: AnalyzeWorkerInput = { pipeline, tempDir: options.tempDir, maxDiagnostics: options.maxDiagnostics };
  const worker = startWorker("analyze-worker", import.meta.url, { workerData: input, resourceLimits: ANALYSIS_LIMITS });
  const abort = () => void worker.terminate();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    return await new Promise<DatasetAnalysis>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", () => reject(options.signal?.reason ?? new Error("analysis worker exited early")));
    });
  } finally {
    options.signal?.removeEventListener("abort", abort);
    await worker.terminate();
  }
}

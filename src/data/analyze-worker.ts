import { parentPort, workerData } from "node:worker_threads";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { analyzeDataset } from "./analyze.js";

/** What {@link analyzeIsolated} hands to its worker. */
export interface AnalyzeWorkerInput {
  pipeline: LoadedPipeline;
  tempDir: string;
  maxDiagnostics?: number | undefined;
}

// The worker side of analyzeIsolated: the same analysis, on one thread whose heap is capped.
const input = workerData as AnalyzeWorkerInput;
const analysis = await analyzeDataset(input.pipeline, {
  tempDir: input.tempDir,
  ...(input.maxDiagnostics !== undefined ? { maxDiagnostics: input.maxDiagnostics } : {}),
});
parentPort?.postMessage(analysis);

import { rm } from "node:fs/promises";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { startPool } from "../core/worker-pool.js";
import { type AnalyzeOptions, analysisPath, analyzeDataset, type DatasetAnalysis } from "./analyze.js";
import { JsonlWriter, type SealedFile } from "./jsonl-writer.js";

/** Where the prepared files go: each target, and the temp file it is written to until it is published. */
type AnalysisOutputs = Record<"train" | "validation", { target: string; temp: string }>;

/** The analysis, and, when outputs were asked for, both files written, synced and not yet published. */
export interface IsolatedAnalysis {
  analysis: DatasetAnalysis;
  files?: { train: SealedFile; validation: SealedFile };
}

type IsolatedOptions = Omit<AnalyzeOptions, "writers"> & { outputs?: AnalysisOutputs };

/** What analyzeIsolated hands to its worker (everything but the abort signal, which stays on the calling side). */
interface AnalyzeWorkerInput {
  pipeline: LoadedPipeline;
  options: IsolatedOptions;
}

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
  // This module is also the thread's task: see the default export.
  const pool = await startPool("analyze-isolated", import.meta.url, { threads: 1, resourceLimits: ANALYSIS_LIMITS });
  try {
    return await pool.run(input, signal ? { signal } : {});
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    await pool.destroy();
  }
}

/** The pool task of analyzeIsolated: the same analysis, on a thread whose heap is capped. */
export default function analyzeOnThread(input: AnalyzeWorkerInput): Promise<IsolatedAnalysis> {
  return analyzeToFiles(input.pipeline, input.options);
}

/** The analysis on this thread, writing the outputs when asked. */
export async function analyzeToFiles(pipeline: LoadedPipeline, options: IsolatedOptions): Promise<IsolatedAnalysis> {
  const { outputs } = options;
  if (!outputs) return { analysis: await analyzeDataset(pipeline, options) };
  const writers = {
    train: await JsonlWriter.create(outputs.train.target, outputs.train.temp),
    validation: await JsonlWriter.create(outputs.validation.target, outputs.validation.temp),
  };
  try {
    const analysis = await analyzeDataset(pipeline, { ...options, writers });
    return { analysis, files: { train: await writers.train.seal(), validation: await writers.validation.seal() } };
  } catch (error) {
    await Promise.all([writers.train.abort(), writers.validation.abort()]);
    throw error;
  }
}

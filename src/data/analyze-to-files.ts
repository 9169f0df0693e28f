import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { type AnalyzeOptions, analyzeDataset, type DatasetAnalysis } from "./analyze.js";
import { JsonlWriter, type SealedFile } from "./jsonl-writer.js";

/** Where the prepared files go: each target, and the temp file it is written to until it is published. */
export interface AnalysisOutputs {
  train: { target: string; temp: string };
  validation: { target: string; temp: string };
}

/** The analysis, and, when outputs were asked for, both files written, synced and not yet published. */
export interface IsolatedAnalysis {
  analysis: DatasetAnalysis;
  files?: { train: SealedFile; validation: SealedFile };
}

export type IsolatedOptions = Omit<AnalyzeOptions, "writers"> & { outputs?: AnalysisOutputs };

/** What analyzeIsolated hands to its worker (everything but the abort signal, which stays on the calling side). */
export interface AnalyzeWorkerInput {
  pipeline: LoadedPipeline;
  options: IsolatedOptions;
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

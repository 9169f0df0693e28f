import { type LoadOptions, type LoadResult, loadPipelineWith } from "../config/load-pipeline.js";
import { dataRules } from "./rules/index.js";

/** loadPipelineWith plus the checks of the data files the sources and templates name: the pipeline checked whole. */
export function loadPipeline(file: string, opts: LoadOptions): Promise<LoadResult> {
  return loadPipelineWith(file, opts, [dataRules]);
}

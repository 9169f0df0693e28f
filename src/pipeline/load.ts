import { type LoadOptions, type LoadResult, loadPipelineWith } from "../config/load-pipeline.js";
import { dataRules } from "./rules/index.js";

/**
 * Loads a pipeline file and checks it whole: YAML, `${env:NAME}`, `-S` overrides, the schema, the model and
 * split rules, and the data files the sources and templates name. Every problem comes back together, each
 * located; it never throws for bad input.
 */
export function loadPipeline(file: string, opts: LoadOptions): Promise<LoadResult> {
  return loadPipelineWith(file, opts, [dataRules]);
}

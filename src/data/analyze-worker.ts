import { type AnalyzeWorkerInput, analyzeToFiles, type IsolatedAnalysis } from "./analyze-to-files.js";

/** The pool task of analyzeIsolated: the same analysis, on a thread whose heap is capped. */
export default function analyze(input: AnalyzeWorkerInput): Promise<IsolatedAnalysis> {
  return analyzeToFiles(input.pipeline, input.options);
}

import { relativePosix } from "../core/display-path.js";
import path from "node:path";
import type { PipelinePaths } from "../core/loaded-pipeline.js";
import { readMetrics } from "./metrics.js";
import { renderRunSummary } from "./terminal.js";
import { metricsFile, readResults } from "./write.js";

/**
 * The end-of-run block for the engine's reporter: reads what this pipeline recorded (evaluation results, training
 * metrics) and renders it with {@link renderRunSummary}. Empty when neither exists yet.
 */
export async function loadRunSummary(paths: PipelinePaths): Promise<string> {
  const [results, metrics] = await Promise.all([readResults(paths), readMetrics(metricsFile(paths))]);
  const report = relativePosix(paths.root, path.join(paths.reportsDir, "report.md"));
  return renderRunSummary({ results, metrics, reportPath: results && report });
}

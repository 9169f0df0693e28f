import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { displayPathOf } from "../core/display-path.js";
import type { PipelinePaths } from "../core/loaded-pipeline.js";
import type { EvalResults } from "../eval/types.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { readMetrics } from "./metrics.js";
import { renderRunSummary } from "./terminal.js";

/** Where the evaluate stage records its results: `<workDir>/eval/results.json`. */
export function resultsFile(paths: Pick<PipelinePaths, "workDir">): string {
  return path.join(paths.workDir, "eval", "results.json");
}

/** Where the train stage writes its metrics: `<workDir>/metrics.csv`. */
export function metricsFile(paths: Pick<PipelinePaths, "workDir">): string {
  return path.join(paths.workDir, "metrics.csv");
}

export async function writeResults(paths: Pick<PipelinePaths, "workDir">, results: EvalResults): Promise<string> {
  const file = resultsFile(paths);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The recorded results, or undefined when the evaluation has not run. */
export async function readResults(paths: Pick<PipelinePaths, "workDir">): Promise<EvalResults | undefined> {
  try {
    return JSON.parse(await readFile(resultsFile(paths), "utf8")) as EvalResults;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Writes `report.md`, `report.html` and `results.json` to `reports/<name>/`, each atomically. The copy of the results
 * there omits the per-run cache flags so that the committed files change only when the results do.
 */
export async function writeReports(paths: Pick<PipelinePaths, "workDir" | "reportsDir">, results: EvalResults) {
  const metrics = await readMetrics(metricsFile(paths));
  await mkdir(paths.reportsDir, { recursive: true });
  const markdown = path.join(paths.reportsDir, "report.md");
  const html = path.join(paths.reportsDir, "report.html");
  const json = path.join(paths.reportsDir, "results.json");
  const stable = { ...results, cells: results.cells.map(({ cached: _cached, ...rest }) => rest) };
  await writeFileAtomic(markdown, renderMarkdown(results));
  await writeFileAtomic(html, renderHtml(results, metrics));
  await writeFileAtomic(json, `${JSON.stringify(stable, null, 2)}\n`);
  return { markdown, html, json, metrics };
}

/**
 * The end-of-run block for the engine's reporter: reads what this pipeline recorded (evaluation results, training
 * metrics) and renders it with {@link renderRunSummary}. Empty when neither exists yet.
 */
export async function loadRunSummary(paths: PipelinePaths): Promise<string> {
  const [results, metrics] = await Promise.all([readResults(paths), readMetrics(metricsFile(paths))]);
  const report = displayPathOf(path.join(paths.reportsDir, "report.md"), paths.displayBase);
  return renderRunSummary({ results, metrics, reportPath: results && report });
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadPipeline } from "../pipeline/load.js";
import type { DatasetAnalysis } from "../data/analyze.js";
import { analyzeIsolated } from "../data/analyze-isolated.js";
import { scanThreads } from "../data/scan-pool.js";
import { renderAnalysis } from "../data/render-analysis.js";
import { type Diagnostic, hasErrors } from "../diagnostics/diagnostic.js";
import { diagnosticsToJson, type SourceTexts } from "../diagnostics/render.js";
import { collectSourceLines } from "../diagnostics/source-lines.js";
import { systemClock } from "../core/clock.js";
import { lifecycleWarnings } from "../pipeline/lifecycle.js";
import { chooseKind, pipelineProviderSettings } from "../providers/settings.js";
import { type CliIo, EXIT, printDiagnostics } from "./io.js";

/**
 * `tunefile validate <pipeline>`: the pipeline's schema and semantic checks, then the data checks; every problem
 * is printed (to stderr), the statistics and cost estimate to stdout. Exit 2 on any error, else 0.
 * `--json`: one JSON object on stdout with the diagnostics and the analysis.
 */
export default async function validate(
  args: { pipeline: string; json?: true; set?: string[] },
  io: CliIo,
): Promise<number> {
  const file = args.pipeline;
  const json = args.json === true;
  const loaded = await loadPipeline(file, { cwd: io.cwd, env: io.env, overrides: args.set ?? [] });
  let diagnostics: Diagnostic[];
  let analysis: DatasetAnalysis | undefined;
  if (loaded.ok) {
    // Spill files for shuffle/sample/split go to the system temp dir: validate leaves nothing in the project.
    const tempDir = await mkdtemp(path.join(tmpdir(), "tunefile-validate-"));
    try {
      ({ analysis } = await analyzeIsolated(loaded.pipeline, { tempDir, signal: io.signal, workers: scanThreads() }));
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
    // The provider the pipeline would use now (validate takes no --provider), for the lifecycle warning.
    const settings = pipelineProviderSettings(loaded.pipeline.config);
    const kind = chooseKind(settings, undefined, Boolean(io.env.OPENAI_API_KEY)).kind;
    const lifecycle = lifecycleWarnings(loaded.pipeline, kind, systemClock.now());
    diagnostics = [...loaded.warnings, ...lifecycle, ...analysis.diagnostics];
  } else {
    diagnostics = loaded.diagnostics;
  }
  const failed = hasErrors(diagnostics);
  if (json) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const out = {
      ok: !failed,
      diagnostics: diagnosticsToJson(diagnostics),
      errors,
      warnings: diagnostics.length - errors,
      // The analysis without its diagnostics: they are listed once, above.
      analysis: analysis ? { ...analysis, diagnostics: undefined } : null,
    };
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return failed ? EXIT.invalid : EXIT.ok;
  }
  if (diagnostics.length > 0) {
    const sources = loaded.ok
      ? await withDataLines(diagnostics, loaded.sources, loaded.pipeline.paths.displayBase)
      : loaded.sources;
    printDiagnostics(io, diagnostics, sources);
  }
  if (failed || !analysis) return EXIT.invalid;
  io.stdout.write(renderAnalysis(analysis));
  return EXIT.ok;
}

/**
 * The pipeline files' texts plus the lines of the data files that diagnostics point into, so data problems show
 * their source line like pipeline problems do. Only the needed lines are read: a data file may be gigabytes.
 */
async function withDataLines(
  diagnostics: readonly Diagnostic[],
  pipelineSources: ReadonlyMap<string, string>,
  root: string,
): Promise<SourceTexts> {
  const dataDiagnostics = diagnostics.filter((d) => d.span && !pipelineSources.has(d.span.file));
  if (dataDiagnostics.length === 0) return pipelineSources;
  // Data files are displayed relative to the project root (or absolute when outside it).
  const lines = await collectSourceLines(dataDiagnostics, (display) => path.resolve(root, display));
  return new Map<string, string | ReadonlyMap<number, string>>([...pipelineSources, ...lines]);
}

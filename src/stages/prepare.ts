import { mkdir } from "node:fs/promises";
import path from "node:path";
import { sha256OfFile } from "../core/hash-file.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Source } from "../core/pipeline.generated.js";
import { analyzeIsolated } from "../data/analyze-isolated.js";
import type { IsolatedAnalysis } from "../data/analyze-to-files.js";
import { discard, publish, tempPathFor } from "../data/jsonl-writer.js";
import { scanThreads } from "../data/scan-pool.js";
import { expandSource } from "../data/sources/index.js";
import type { SetStats } from "../data/stats.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { StageContext, StageDefinition, StageOutcome } from "../engine/stage.js";
import type { PreparedFile, PrepareOutputs } from "../engine/stage-io.js";
import { previewPrepare } from "./prepare-preview.js";

/** Diagnostics echoed into the run's log when prepare fails; `tunefile validate` shows them all. */
const LOGGED_DIAGNOSTICS = 10;

/**
 * The prepare stage: reads the sources, applies the transforms (and split), checks and counts every example, and
 * writes `<workDir>/train.jsonl` and `<workDir>/validation.jsonl` atomically. Its outputs carry the files' sha256
 * (upload keys on them), the statistics and the training cost estimate (the budget check reads it).
 */
export const prepareStage: StageDefinition<PrepareOutputs> = {
  preview: previewPrepare,
  name: "prepare",
  version: 1,
  // An existing fine-tuned model needs no data.
  enabled: (pipeline) => pipeline.config.training?.fine_tuned_model === undefined,
  fingerprintInput: async (pipeline) => ({
    config: {
      dataset: pipeline.config.dataset,
      model: pipeline.config.model,
      method: pipeline.config.training?.method ?? "supervised",
      // The estimate depends on the configured epochs, and it is recorded in the outputs.
      n_epochs: pipeline.config.training?.hyperparameters?.n_epochs ?? "auto",
    },
    files: await inputFileHashes(pipeline),
  }),
  run: runPrepare,
};

async function runPrepare(ctx: StageContext): Promise<StageOutcome<PrepareOutputs>> {
  const { paths } = ctx.pipeline;
  const tempDir = path.join(paths.workDir, "tmp");
  await mkdir(tempDir, { recursive: true });
  const target = (name: string) => {
    const file = path.join(paths.workDir, name);
    return { target: file, temp: tempPathFor(file) };
  };
  const outputs = { train: target("train.jsonl"), validation: target("validation.jsonl") };
  let result: IsolatedAnalysis;
  try {
    ctx.emit({ type: "stage-progress", stage: "prepare", message: "reading, transforming and checking the data" });
    // Scan threads start only for large inputs (see AnalyzeOptions.workers); the temp files are gone on a throw.
    result = await analyzeIsolated(ctx.pipeline, { tempDir, outputs, signal: ctx.signal, workers: scanThreads() });
  } catch (err) {
    if (ctx.signal.aborted)
      return { kind: "cancelled", error: { code: "interrupted", message: "prepare was interrupted" } };
    throw err;
  }
  const { analysis, files } = result;
  if (!files) throw new Error("internal error, please report: the analysis wrote no files");
  for (const d of analysis.diagnostics.slice(0, LOGGED_DIAGNOSTICS)) {
    const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col} ` : "";
    ctx.emit({
      type: "stage-log",
      stage: "prepare",
      level: d.severity === "error" ? "error" : "warn",
      message: `${where}${d.severity}[${d.code}] ${d.message}`,
    });
  }
  if (hasErrors(analysis.diagnostics)) {
    await Promise.all([discard(files.train), discard(files.validation)]);
    const errors = analysis.diagnostics.filter((d) => d.severity === "error");
    return {
      kind: "failed",
      error: {
        code: "invalid-data",
        message: `the data has ${errors.length} problem(s), e.g. ${errors[0]!.message}; run \`tunefile validate ${paths.displayFile}\` to see them all`,
      },
    };
  }
  const prepared = (file: typeof files.train, stats: SetStats): PreparedFile => ({
    path: relative(paths.root, file.target),
    sha256: file.sha256,
    examples: stats.examples,
    tokens: stats.tokens,
    billing_tokens: stats.billing_tokens,
  });
  await publish(files.train);
  // A validation set exists when the pipeline names validation sources or a split.
  if (analysis.validation) await publish(files.validation);
  else await discard(files.validation);
  const { estimate } = analysis;
  return {
    kind: "succeeded",
    outputs: {
      train: prepared(files.train, analysis.train),
      ...(analysis.validation ? { validation: prepared(files.validation, analysis.validation) } : {}),
      stats: {
        encoding: analysis.encoding,
        max_tokens_per_example: analysis.max_tokens_per_example,
        train: analysis.train,
        ...(analysis.validation ? { validation: analysis.validation } : {}),
      },
      estimate,
      ...(estimate.usd !== null ? { estimated_cost_usd: estimate.usd } : {}),
    },
  };
}

/** Forward slashes, so the lockfile reads the same on every platform. */
function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/**
 * sha256 of every input file, keyed by its path relative to the project root. Unreadable or missing files are
 * left out: the run then reports them as data problems.
 */
async function inputFileHashes(pipeline: LoadedPipeline): Promise<Record<string, string>> {
  const { dataset } = pipeline.config;
  const specs: Source[] = [dataset.train, ...(dataset.validation !== undefined ? [dataset.validation] : [])];
  const hashes: Record<string, string> = {};
  for (const spec of specs) {
    const expanded = await expandSource(spec, pipeline.paths.dir, pipeline.paths.root);
    for (const file of expanded.files) {
      const hash = await sha256OfFile(file.path);
      if (hash !== undefined) hashes[relative(pipeline.paths.root, file.path)] = hash;
    }
  }
  return hashes;
}

import { relativePosix } from "../core/display-path.js";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { sha256OfFile, sha256OfFiles } from "../core/hash-file.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { analyzeDataset } from "../data/analyze.js";
import { analyzeIsolated, type IsolatedAnalysis } from "../data/analyze-isolated.js";
import { discard, JsonlWriter, publish, tempPathFor } from "../data/jsonl-writer.js";
import { renderEstimate } from "../data/render-analysis.js";
import { scanThreads } from "../data/scan-pool.js";
import { expandSource } from "../data/sources/index.js";
import type { SetStats } from "../data/stats.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { pipelineEstimate } from "../data/cost.js";
import type { PreviewInput, StageContext, StageDefinition, StageOutcome, StagePreview } from "../engine/stage.js";
import { outputsOf, type PreparedFile, type PrepareOutputs } from "../engine/stage-io.js";
import { logLine } from "./log.js";

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
  // The prepared files live in the work directory, which is not committed: in a fresh clone, or after someone
  // deleted or edited them, prepare writes them again (the same bytes, so nothing downstream goes stale).
  outputsPresent: async (pipeline, record) => {
    const outputs = outputsOf("prepare", record);
    if (!outputs) return false;
    for (const file of [outputs.train, outputs.validation]) {
      if (file && (await sha256OfFile(path.resolve(pipeline.paths.root, file.path))) !== file.sha256) return false;
    }
    return true;
  },
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
    logLine(ctx, `${where}${d.severity}[${d.code}] ${d.message}`, d.severity === "error" ? "error" : "warn");
  }
  if (hasErrors(analysis.diagnostics)) {
    await Promise.all([discard(files.train), discard(files.validation)]);
    const errors = analysis.diagnostics.filter((d) => d.severity === "error");
    const message = `the data has ${errors.length} problem(s), e.g. ${errors[0]!.message}; run \`tunefile validate ${paths.displayFile}\` to see them all`;
    return { kind: "failed", error: { code: "invalid-data", message } };
  }
  const prepared = (file: typeof files.train, stats: SetStats): PreparedFile => ({
    path: relativePosix(paths.root, file.target),
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

/** sha256 of every input file (see sha256OfFiles); missing ones are reported as data problems when prepare runs. */
async function inputFileHashes(pipeline: LoadedPipeline): Promise<Record<string, string>> {
  const { dataset } = pipeline.config;
  const files: string[] = [];
  for (const spec of [dataset.train, ...(dataset.validation !== undefined ? [dataset.validation] : [])]) {
    files.push(...(await expandSource(spec, pipeline.paths.dir, pipeline.paths.root)).files.map((f) => f.path));
  }
  return sha256OfFiles(pipeline.paths.root, files);
}

/** What plan says about the data and its cost. */
interface DataEstimate {
  /** Where the numbers come from: the last prepare run (fresh), or a dry analysis of the data now. */
  source: "recorded" | "analyzed";
  trainExamples: number | undefined;
  validationExamples: number | undefined;
  trainTokens: number | undefined;
  /** Estimated training cost in US dollars; undefined when unknown (no price for the model). */
  usd: number | undefined;
  /** Human lines: counts, then the cost formula and the price's source. */
  lines: string[];
  /** The data has errors: prepare would fail. */
  invalid: boolean;
  /**
   * sha256 of the training file prepare would write, from the dry pass (which writes it to the temp directory,
   * exactly as prepare does); absent when taken from the record or when the data is invalid. Upload reuses a file
   * with the same sha256.
   */
  trainSha256?: string;
}

/**
 * Prepare's preview for `tunefile plan`: the data counts and training cost estimate, without side effects in the
 * project: taken from prepare's record when prepare is fresh, otherwise measured now by a dry pass over the data
 * (spill files in `input.tempDir`, removed). Prepare itself costs nothing, so the training estimate is in
 * `data.estimate.usd`, not `estimatedCostUsd` (which counts against the budget as this stage's own spend).
 */
async function previewPrepare(pipeline: LoadedPipeline, input: PreviewInput): Promise<StagePreview> {
  const estimate = await estimateData(pipeline, input);
  const from = estimate.source === "recorded" ? " (recorded by the last run)" : "";
  return { lines: estimate.lines, data: { ...estimate, heading: `prepare${from}` } };
}

async function estimateData(pipeline: LoadedPipeline, input: PreviewInput): Promise<DataEstimate> {
  const prepareRecord = input.record;
  const outputs = outputsOf("prepare", prepareRecord);
  if (input.action === "skip" && outputs) {
    // The recorded counts at the prices and epochs the pipeline gives now: `prices:` or the provider can change
    // while the data, and so this stage, stays fresh.
    const estimate =
      outputs.estimate && pipelineEstimate(pipeline.config, outputs.train.examples, outputs.estimate.billing_tokens);
    return {
      source: "recorded",
      trainExamples: outputs.train.examples,
      validationExamples: outputs.validation?.examples,
      trainTokens: outputs.train.tokens,
      usd: estimate?.usd ?? undefined,
      lines: [
        counts(outputs.train.examples, outputs.validation?.examples, outputs.train.tokens),
        ...(estimate ? renderEstimate(estimate) : []),
      ],
      invalid: false,
    };
  }
  const tempDir = await mkdtemp(path.join(input.tempDir, "tunefile-plan-"));
  try {
    const writers = {
      train: await JsonlWriter.create(path.join(tempDir, "train.jsonl")),
      validation: await JsonlWriter.create(path.join(tempDir, "validation.jsonl")),
    };
    const analysis = await analyzeDataset(pipeline, { tempDir, writers, signal: input.signal }).finally(() =>
      writers.validation.abort(),
    );
    const invalid = hasErrors(analysis.diagnostics);
    const trainSha256 = invalid ? undefined : await writers.train.commit();
    if (invalid) await writers.train.abort();
    const lines = [counts(analysis.train.examples, analysis.validation?.examples, analysis.train.tokens)];
    lines.push(...renderEstimate(analysis.estimate));
    if (invalid) {
      const n = analysis.diagnostics.filter((d) => d.severity === "error").length;
      lines.push(`the data has ${n} problem(s): prepare will fail; \`tunefile validate\` shows them`);
    }
    return {
      source: "analyzed",
      trainExamples: analysis.train.examples,
      validationExamples: analysis.validation?.examples,
      trainTokens: analysis.train.tokens,
      usd: analysis.estimate.usd ?? undefined,
      lines,
      invalid,
      ...(trainSha256 ? { trainSha256 } : {}),
    };
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function counts(train: number | undefined, validation: number | undefined, tokens: number | undefined): string {
  const sets = [
    train !== undefined ? `${train} training examples` : undefined,
    validation !== undefined ? `${validation} validation examples` : "no validation set",
  ].filter(Boolean);
  return `${sets.join(", ")}${tokens !== undefined ? `, ${tokens} training tokens` : ""}`;
}

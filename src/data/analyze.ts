import { stat } from "node:fs/promises";
import path from "node:path";
import type { LoadedPipeline } from "../config/loaded-pipeline.js";
import type { Source } from "../config/pipeline.generated.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { analyzeSet, DiagnosticSink } from "./analyze-set.js";
import { type CostEstimate, estimateTrainingCost } from "./cost.js";
import { findingToDiagnostic, MIN_TRAINING_EXAMPLES } from "./format-checks/index.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { type Encoding, encodingFor, findModel, type TrainingMethod } from "./models.js";
import { displayPathOf, expandSource, readSource, sourceEntries } from "./sources/index.js";
import { Spill } from "./spill.js";
import type { SetStats } from "./stats.js";
import { TokenPool } from "./token-pool.js";
import { type TokenCounter, tokenCounterForModel } from "./tokens.js";
import { applyTransforms } from "./transforms/apply.js";
import type { TransformContext } from "./transforms/context.js";
import { splitSpill } from "./transforms/split.js";

/** Options of {@link analyzeDataset}. */
export interface AnalyzeOptions {
  /** An existing directory for spill files (shuffle, sample, split). */
  tempDir: string;
  /** Writers for the prepared files (the prepare stage); absent: only analyze (validate). */
  writers?: { train: JsonlWriter; validation: JsonlWriter };
  /** Most data diagnostics kept; the rest are counted. Default: 100. */
  maxDiagnostics?: number;
  /** Stops the pass (by throwing the abort reason) when aborted. */
  signal?: AbortSignal;
  /**
   * Most worker threads for token counting. They start only for inputs of at least `minBytesForWorkers`
   * (start-up costs about as much as counting a few MB). Default: 0, count on this thread.
   */
  workers?: number;
  /** Default: 8 MB. */
  minBytesForWorkers?: number;
}

/** Everything validate prints and prepare records about the data. */
export interface DatasetAnalysis {
  model: string;
  method: TrainingMethod;
  encoding: Encoding;
  max_tokens_per_example: number;
  train: SetStats;
  /** Absent when the pipeline has neither a validation source nor a split. */
  validation?: SetStats;
  estimate: CostEstimate;
  /** Source, transform and format problems, located; errors mean the data cannot be used as is. */
  diagnostics: Diagnostic[];
}

/** Per-example limit for models outside the catalog (the loader already reports those as errors). */
const DEFAULT_MAX_TOKENS = 65_536;

/**
 * Reads the pipeline's sources, applies its transforms (and split), checks and counts every example, and
 * estimates the training cost. One streaming pass per set; shuffle, sample and split spill to `tempDir`.
 * Shared by `tunefile validate` and the prepare stage (which passes writers).
 */
export async function analyzeDataset(pipeline: LoadedPipeline, options: AnalyzeOptions): Promise<DatasetAnalysis> {
  const { config } = pipeline;
  const method: TrainingMethod = config.training?.method ?? "supervised";
  const counter = await tokenCounterForModel(config.model);
  const maxTokensPerExample = findModel(config.model)?.maxTokensPerExample ?? DEFAULT_MAX_TOKENS;
  const sink = new DiagnosticSink(options.maxDiagnostics ?? 100);
  const ctx: TransformContext = { method, counter, tempDir: options.tempDir, report: (d) => sink.add(d) };
  const pool =
    (await inputBytes(pipeline)) >= (options.minBytesForWorkers ?? 8_000_000)
      ? TokenPool.start(options.workers ?? 0, counter.encoding, method)
      : undefined;
  try {
    return await analyzeWith({ pipeline, options, method, counter, maxTokensPerExample, sink, ctx, pool });
  } finally {
    await pool?.close();
  }
}

interface Analysis {
  pipeline: LoadedPipeline;
  options: AnalyzeOptions;
  method: TrainingMethod;
  counter: TokenCounter;
  maxTokensPerExample: number;
  sink: DiagnosticSink;
  ctx: TransformContext;
  pool: TokenPool | undefined;
}

async function analyzeWith(a: Analysis): Promise<DatasetAnalysis> {
  const { pipeline, options, method, counter, maxTokensPerExample, sink, ctx, pool } = a;
  const { config } = pipeline;
  const transforms = config.dataset.transforms ?? [];
  const rows = (spec: Source) => applyTransforms(readRows(spec, pipeline, sink), transforms, ctx);
  const setOptions = { method, counter, maxTokensPerExample, sink, signal: options.signal, pool };

  let train: SetStats;
  let validation: SetStats | undefined;
  if (config.dataset.split) {
    const spill = await Spill.create(options.tempDir);
    try {
      for await (const item of rows(config.dataset.train)) await spill.append(item);
      const sides = splitSpill(spill, config.dataset.split);
      train = await analyzeSet(sides.train, { ...setOptions, writer: options.writers?.train });
      validation = await analyzeSet(sides.validation, { ...setOptions, writer: options.writers?.validation });
    } finally {
      await spill.dispose();
    }
  } else {
    train = await analyzeSet(rows(config.dataset.train), { ...setOptions, writer: options.writers?.train });
    if (config.dataset.validation !== undefined) {
      validation = await analyzeSet(rows(config.dataset.validation), {
        ...setOptions,
        writer: options.writers?.validation,
      });
    }
  }

  if (train.examples < MIN_TRAINING_EXAMPLES) {
    sink.add(
      findingToDiagnostic({
        code: "data-too-few-examples",
        file: describeSource(config.dataset.train, pipeline),
        examples: train.examples,
        minimum: MIN_TRAINING_EXAMPLES,
      }),
    );
  }
  const estimate = estimateTrainingCost({
    model: config.model,
    trainExamples: train.examples,
    billingTokens: train.billing_tokens,
    nEpochs: config.training?.hyperparameters?.n_epochs,
  });
  return {
    model: config.model,
    method,
    encoding: encodingFor(config.model),
    max_tokens_per_example: maxTokensPerExample,
    train,
    ...(validation ? { validation } : {}),
    estimate,
    diagnostics: sink.all(),
  };
}

/** The rows of a source as items; read problems (bad JSON lines, missing files) go to the sink. */
async function* readRows(spec: Source, pipeline: LoadedPipeline, sink: DiagnosticSink): AsyncGenerator<DataItem> {
  for await (const row of readSource(spec, pipeline.paths.dir, pipeline.paths.root)) {
    if (row.kind === "error") sink.add(row.diagnostic);
    else yield { value: row.value, file: row.file, line: row.line };
  }
}

/** Total size of the input files (0 for those that cannot be read: the readers report them). */
async function inputBytes(pipeline: LoadedPipeline): Promise<number> {
  const { dataset } = pipeline.config;
  let total = 0;
  for (const spec of [dataset.train, ...(dataset.validation !== undefined ? [dataset.validation] : [])]) {
    const expanded = await expandSource(spec, pipeline.paths.dir, pipeline.paths.root);
    for (const file of expanded.files) total += (await stat(file.path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** How a source is named in a file-level message: its path(s) or glob(s), shown like every other data file. */
function describeSource(spec: Source, pipeline: LoadedPipeline): string {
  return sourceEntries(spec)
    .map((e) => displayPathOf(path.resolve(pipeline.paths.dir, e.object.path), pipeline.paths.root))
    .join(", ");
}

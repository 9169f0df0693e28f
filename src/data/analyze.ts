import { stat } from "node:fs/promises";
import path from "node:path";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Source } from "../core/pipeline.generated.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { analyzeSet, DiagnosticSink } from "./analyze-set.js";
import { type CostEstimate, estimateTrainingCost } from "./cost.js";
import { findingToDiagnostic, MIN_TRAINING_EXAMPLES } from "./format-checks/index.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { type Encoding, encodingFor, findModel, type TrainingMethod } from "../core/catalog/models.js";
import { analyzeJsonlSet } from "./analyze-jsonl.js";
import { ScanPool } from "./scan-pool.js";
import {
  DEFAULT_MAX_LINE_BYTES,
  displayPathOf,
  type ExpandedSource,
  expandSource,
  readSource,
  sourceEntries,
} from "./sources/index.js";
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
   * Most worker threads, for inputs of at least `minBytesForWorkers` (start-up costs about as much as counting a
   * few MB). Plain JSONL without transforms is scanned wholly in workers, one per 16 MB of input up to this many,
   * while this thread only splits lines. Otherwise this thread reads, transforms and checks, and `workers - 1`
   * threads count tokens. Default: 0, everything on this thread.
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
  const maxTokensPerExample = findModel(config.model)?.maxTokensPerExample ?? DEFAULT_MAX_TOKENS;
  const sink = new DiagnosticSink(options.maxDiagnostics ?? 100);
  const sources = await expandSets(pipeline);
  const bytes = await inputBytes(sources);
  const workers = options.workers ?? 0;
  const parallel = workers > 0 && bytes >= (options.minBytesForWorkers ?? 8_000_000);
  if (parallel && isPlainJsonl(pipeline, sources)) {
    // The reading thread never loads the tokenizer here: only the workers do.
    const pool = ScanPool.start(Math.min(workers, Math.ceil(bytes / BYTES_PER_SCAN_WORKER)), {
      method,
      encoding: encodingFor(config.model),
      maxTokensPerExample,
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      wantLines: options.writers !== undefined,
    });
    try {
      const setOptions = { pool, maxTokensPerExample, sink, signal: options.signal };
      const scan = { ...setOptions, maxLineBytes: DEFAULT_MAX_LINE_BYTES, batchBytes: SCAN_BATCH_BYTES };
      const train = await analyzeJsonlSet(sources.train, { ...scan, writer: options.writers?.train });
      const validation = sources.validation
        ? await analyzeJsonlSet(sources.validation, { ...scan, writer: options.writers?.validation })
        : undefined;
      return finishAnalysis(pipeline, { method, maxTokensPerExample, sink, train, validation });
    } finally {
      await pool.close();
    }
  }
  const counter = await tokenCounterForModel(config.model);
  const ctx: TransformContext = { method, counter, tempDir: options.tempDir, report: (d) => sink.add(d) };
  // Here this thread reads, parses, transforms and checks, so it counts as one of the `workers` threads.
  const pool = parallel ? TokenPool.start(workers - 1, counter.encoding, method) : undefined;
  try {
    return await analyzeWith({ pipeline, options, method, counter, maxTokensPerExample, sink, ctx, pool });
  } finally {
    await pool?.close();
  }
}

/** Input bytes per scan worker: each costs tens of MB and some start-up, worth it only for a large input. */
const BYTES_PER_SCAN_WORKER = 16_000_000;
/** Bytes per batch handed to a scan worker: large enough that messaging is negligible, small enough for memory. */
const SCAN_BATCH_BYTES = 512 * 1024;

/**
 * Which path {@link analyzeDataset} takes for a pipeline: `scan` (plain JSONL, scanned in heap-capped workers),
 * or `stream` (transforms or other formats, on the calling thread), with the input size that decides on workers.
 */
export async function analysisPath(pipeline: LoadedPipeline): Promise<{ path: "scan" | "stream"; bytes: number }> {
  const sources = await expandSets(pipeline);
  return { path: isPlainJsonl(pipeline, sources) ? "scan" : "stream", bytes: await inputBytes(sources) };
}

interface ExpandedSets {
  train: ExpandedSource;
  validation?: ExpandedSource | undefined;
}

async function expandSets(pipeline: LoadedPipeline): Promise<ExpandedSets> {
  const { dataset } = pipeline.config;
  const { dir, root } = pipeline.paths;
  return {
    train: await expandSource(dataset.train, dir, root),
    validation: dataset.validation !== undefined ? await expandSource(dataset.validation, dir, root) : undefined,
  };
}

/** Only JSONL files and nothing to transform or split: each line is an example as it stands. */
function isPlainJsonl(pipeline: LoadedPipeline, sources: ExpandedSets): boolean {
  const { dataset } = pipeline.config;
  if ((dataset.transforms ?? []).length > 0 || dataset.split) return false;
  const files = [...sources.train.files, ...(sources.validation?.files ?? [])];
  return files.every((f) => f.format === "jsonl");
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

  return finishAnalysis(pipeline, { method, maxTokensPerExample, sink, train, validation });
}

interface SetsAnalyzed {
  method: TrainingMethod;
  maxTokensPerExample: number;
  sink: DiagnosticSink;
  train: SetStats;
  validation?: SetStats | undefined;
}

/** The file-level check (enough training examples) and the cost estimate, after both sets were analyzed. */
function finishAnalysis(pipeline: LoadedPipeline, sets: SetsAnalyzed): DatasetAnalysis {
  const { config } = pipeline;
  const { method, maxTokensPerExample, sink, train, validation } = sets;
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
    ...(config.prices ? { prices: config.prices } : {}),
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
async function inputBytes(sources: ExpandedSets): Promise<number> {
  let total = 0;
  for (const file of [...sources.train.files, ...(sources.validation?.files ?? [])]) {
    total += (await stat(file.path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** How a source is named in a file-level message: its path(s) or glob(s), shown like every other data file. */
function describeSource(spec: Source, pipeline: LoadedPipeline): string {
  return sourceEntries(spec)
    .map((e) => displayPathOf(path.resolve(pipeline.paths.dir, e.object.path), pipeline.paths.root))
    .join(", ");
}

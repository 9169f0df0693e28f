import { stat } from "node:fs/promises";
import path from "node:path";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Source } from "../core/pipeline.generated.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DiagnosticSink } from "./diagnostic-sink.js";
import { type CostEstimate, pipelineEstimate } from "./cost.js";
import { MIN_TRAINING_EXAMPLES } from "./format-checks/findings.js";
import { findingToDiagnostic } from "./format-checks/to-diagnostic.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { type Encoding, encodingFor, maxTokensPerExampleOf, type TrainingMethod } from "../core/catalog/models.js";
import type { ScanSettings } from "./scan-batch.js";
import { ScanPool } from "./scan-pool.js";
import { itemBatches, jsonlBatches, scanSet, BATCH_BYTES, type SetInput } from "./scan-set.js";
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
import { BufferRecycler } from "./sources/line-batches.js";
import { tokenCounterForModel } from "./tokens.js";
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
   * Most worker threads, for inputs of at least `minBytesForWorkers` (start-up costs about as much as scanning a
   * few MB): one per 16 MB of input up to this many. They decode, parse, check and count; this thread reads,
   * transforms and writes. Default: 0, everything on this thread.
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

/**
 * Reads the pipeline's sources, applies its transforms (and split), checks and counts every example, and
 * estimates the training cost. One streaming pass per set; shuffle, sample and split spill to `tempDir`.
 * Shared by `tunefile validate` and the prepare stage (which passes writers).
 */
export async function analyzeDataset(pipeline: LoadedPipeline, options: AnalyzeOptions): Promise<DatasetAnalysis> {
  const { config } = pipeline;
  const method: TrainingMethod = config.training?.method ?? "supervised";
  const maxTokensPerExample = maxTokensPerExampleOf(config.model);
  const sink = new DiagnosticSink(options.maxDiagnostics ?? 100);
  const sources = await expandSets(pipeline);
  const bytes = await inputBytes(sources);
  const workers = options.workers ?? 0;
  const threads = bytes >= (options.minBytesForWorkers ?? 8_000_000) ? Math.min(workers, Math.ceil(bytes / 16e6)) : 0;
  const encoding = encodingFor(config.model);
  const settings: ScanSettings = {
    method,
    encoding,
    maxTokensPerExample,
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
    wantLines: options.writers !== undefined,
  };
  const pool = await ScanPool.start(threads);
  // Room for a batch plus a partial line carried over; a longer carry gets a buffer of its own.
  const buffers = new BufferRecycler(BATCH_BYTES + 64 * 1024);
  const scan = (input: AsyncIterable<SetInput>, writer: JsonlWriter | undefined) =>
    scanSet(input, { pool, maxTokensPerExample, sink, writer, buffers, signal: options.signal });
  let sets: { train: SetStats; validation?: SetStats | undefined };
  try {
    if (isPlainJsonl(pipeline, sources)) {
      const { train, validation } = sources;
      sets = {
        train: await scan(jsonlBatches(train, settings, buffers), options.writers?.train),
        validation:
          validation && (await scan(jsonlBatches(validation, settings, buffers), options.writers?.validation)),
      };
    } else {
      sets = await transformedSets(pipeline, method, sink, options.tempDir, (items, side) =>
        scan(itemBatches(items, settings), options.writers?.[side]),
      );
    }
  } finally {
    await pool.close();
  }
  // The file-level check (enough training examples) and the cost estimate, after both sets were analyzed.
  const { train, validation } = sets;
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
  const estimate = pipelineEstimate(config, train.examples, train.billing_tokens);
  return {
    model: config.model,
    method,
    encoding,
    max_tokens_per_example: maxTokensPerExample,
    train,
    ...(validation ? { validation } : {}),
    estimate,
    diagnostics: sink.all(),
  };
}

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

/** Sources read and transformed on this thread (shuffle, sample and split spill to disk), then scanned. */
async function transformedSets(
  pipeline: LoadedPipeline,
  method: TrainingMethod,
  sink: DiagnosticSink,
  tempDir: string,
  scan: (items: AsyncIterable<DataItem>, side: "train" | "validation") => Promise<SetStats>,
): Promise<{ train: SetStats; validation?: SetStats }> {
  const { dataset } = pipeline.config;
  const counter = await tokenCounterForModel(pipeline.config.model);
  const ctx: TransformContext = { method, counter, tempDir, report: (d) => sink.add(d) };
  const rows = (spec: Source) => applyTransforms(readRows(spec, pipeline, sink), dataset.transforms ?? [], ctx);
  if (dataset.split) {
    const spill = await Spill.create(tempDir);
    try {
      for await (const item of rows(dataset.train)) await spill.append(item);
      const sides = splitSpill(spill, dataset.split);
      return { train: await scan(sides.train, "train"), validation: await scan(sides.validation, "validation") };
    } finally {
      await spill.dispose();
    }
  }
  const train = await scan(rows(dataset.train), "train");
  if (dataset.validation === undefined) return { train };
  return { train, validation: await scan(rows(dataset.validation), "validation") };
}

/** The rows of a source as items; read problems (bad JSON lines, missing files) go to the sink. */
async function* readRows(spec: Source, pipeline: LoadedPipeline, sink: DiagnosticSink): AsyncGenerator<DataItem> {
  for await (const row of readSource(spec, pipeline.paths.dir, pipeline.paths.displayBase)) {
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
    .map((e) => displayPathOf(path.resolve(pipeline.paths.dir, e.object.path), pipeline.paths.displayBase))
    .join(", ");
}

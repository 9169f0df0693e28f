import { encodingFor, maxTokensPerExampleOf, type TrainingMethod } from "../core/catalog/models.js";
import { type ExampleFinding, findingSeverity, MIN_TRAINING_EXAMPLES } from "./format-checks/findings.js";
import { type FilePurpose, findingToJobError, type JobFileError } from "./format-checks/to-openai-error.js";
import { STATS_STRIDE, scanBatch } from "./scan-batch.js";
import { BATCH_BYTES } from "./scan-set.js";
import { countNewlines } from "./sources/line-batches.js";
import { loadTokenCounter } from "./tokens.js";

/** Options of {@link validateTrainingFile}. */
export interface ValidateFileOptions {
  method: TrainingMethod;
  /** The model being fine-tuned: picks the token encoding and the per-example limit. */
  model: string;
  /** training files need at least 10 examples; validation files do not. */
  purpose: FilePurpose;
}

export type TrainingFileVerdict =
  | {
      ok: true;
      examples: number;
      /** Σ tokens per example (cookbook count). */
      tokens: number;
      /** Σ min(limit, tokens per example): what one epoch bills. */
      billingTokens: number;
      /** Token-limit warnings (the service truncates those examples). */
      warnings: ExampleFinding[];
    }
  | { ok: false; error: JobFileError; examples: number };

/**
 * Validates an uploaded JSONL file the way the fine-tuning service does while a job is `validating_files`, with
 * the scan `validate` and the prepare stage run (scanBatch): the first format error fails the file, then a
 * training file needs at least 10 examples. Blank lines are skipped. The local provider calls it on the file's
 * bytes, a batch at a time, handing the event loop back between batches so the server keeps answering.
 */
export async function validateTrainingFile(
  bytes: Uint8Array,
  options: ValidateFileOptions,
): Promise<TrainingFileVerdict> {
  const counter = await loadTokenCounter(encodingFor(options.model));
  const maxTokensPerExample = maxTokensPerExampleOf(options.model);
  const settings = {
    method: options.method,
    encoding: counter.encoding,
    maxTokensPerExample,
    maxLineBytes: Number.MAX_SAFE_INTEGER,
    wantLines: false,
  };
  const file = `${options.purpose}-file.jsonl`;
  const warnings: ExampleFinding[] = [];
  let examples = 0;
  let tokens = 0;
  let billingTokens = 0;
  let line = 1;
  for (let start = 0; start < bytes.length; ) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const newline = bytes.indexOf(0x0a, Math.min(start + BATCH_BYTES, bytes.length - 1));
    const end = newline === -1 ? bytes.length : newline + 1;
    const batch = bytes.subarray(start, end);
    const result = scanBatch({ bytes: batch, settings, file, firstLine: line }, counter);
    for (const { finding } of result.problems) {
      if (!finding) continue;
      const located = { ...finding, example: examples + finding.example };
      if (findingSeverity(located) === "error") {
        return { ok: false, error: findingToJobError(located, options.purpose), examples: located.example };
      }
      warnings.push(located);
    }
    examples += result.nonBlank;
    for (let at = 1; at < result.stats.length; at += STATS_STRIDE) {
      tokens += result.stats[at]!;
      billingTokens += Math.min(maxTokensPerExample, result.stats[at]!);
    }
    line += countNewlines(batch);
    start = end;
  }
  if (options.purpose === "training" && examples < MIN_TRAINING_EXAMPLES) {
    const finding = { code: "data-too-few-examples" as const, file, examples, minimum: MIN_TRAINING_EXAMPLES };
    return { ok: false, error: findingToJobError(finding, options.purpose), examples };
  }
  return { ok: true, examples, tokens, billingTokens, warnings };
}

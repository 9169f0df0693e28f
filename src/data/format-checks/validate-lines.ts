import { findModel, type TrainingMethod } from "../../core/catalog/models.js";
import { tokenCounterForModel } from "../tokens.js";
import { type ExampleFinding, findingSeverity, MIN_TRAINING_EXAMPLES } from "./findings.js";
import { inspectExample } from "./inspect-example.js";
import { type FilePurpose, findingToJobError, type JobFileError } from "./to-openai-error.js";

/** Options of {@link validateTrainingLines}. */
export interface ValidateLinesOptions {
  method: TrainingMethod;
  /** The model being fine-tuned: picks the token encoding and the per-example limit. */
  model: string;
  /** training files need at least 10 examples; validation files do not. */
  purpose: FilePurpose;
  /** Name used in findings' locations. Default: "training-file.jsonl" / "validation-file.jsonl". */
  file?: string;
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

/** Per-example limit when the model is not in the catalog (the service rejects such models anyway). */
const DEFAULT_MAX_TOKENS = 65_536;

/**
 * Validates an uploaded JSONL file the way the fine-tuning service does while a job is `validating_files`: the
 * first format error fails the file; then a training file needs at least 10 examples. Blank lines are skipped.
 * Used by the local provider on raw text lines; it shares every check with the prepare stage.
 */
export async function validateTrainingLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ValidateLinesOptions,
): Promise<TrainingFileVerdict> {
  const counter = await tokenCounterForModel(options.model);
  const maxTokensPerExample = findModel(options.model)?.maxTokensPerExample ?? DEFAULT_MAX_TOKENS;
  const file = options.file ?? `${options.purpose}-file.jsonl`;
  const inspect = { method: options.method, counter, maxTokensPerExample };
  const warnings: ExampleFinding[] = [];
  let examples = 0;
  let tokens = 0;
  let billingTokens = 0;
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() === "") continue;
    examples++;
    const location = { example: examples, file, line };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const finding: ExampleFinding = { ...location, code: "data-invalid-json", detail: (err as Error).message };
      return { ok: false, error: findingToJobError(finding, options.purpose), examples };
    }
    const inspected = inspectExample(value, location, inspect);
    for (const finding of inspected.findings) {
      if (findingSeverity(finding) === "error") {
        return { ok: false, error: findingToJobError(finding, options.purpose), examples };
      }
      warnings.push(finding);
    }
    tokens += inspected.tokens.total;
    billingTokens += Math.min(maxTokensPerExample, inspected.tokens.total);
  }
  if (options.purpose === "training" && examples < MIN_TRAINING_EXAMPLES) {
    const finding = { code: "data-too-few-examples" as const, file, examples, minimum: MIN_TRAINING_EXAMPLES };
    return { ok: false, error: findingToJobError(finding, options.purpose), examples };
  }
  return { ok: true, examples, tokens, billingTokens, warnings };
}

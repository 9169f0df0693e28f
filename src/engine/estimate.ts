import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { analyzeDataset } from "../data/analyze.js";
import { JsonlWriter } from "../data/jsonl-writer.js";
import type { CostEstimate } from "../data/cost.js";
import { renderEstimate } from "../data/render-analysis.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { recordedEstimate } from "./budget.js";
import type { PlanEntry } from "./events.js";
import type { StageRecord } from "./stage.js";

/** What plan says about the data and its cost. */
export interface DataEstimate {
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
 * The data counts and training cost estimate, without side effects in the project: taken from prepare's record
 * when prepare is fresh, otherwise measured now by a dry pass over the data (spill files in `tempRoot`, removed).
 */
export async function estimateData(
  pipeline: LoadedPipeline,
  prepareEntry: PlanEntry | undefined,
  prepareRecord: StageRecord | undefined,
  opts: { tempRoot: string; signal: AbortSignal },
): Promise<DataEstimate | undefined> {
  if (!prepareEntry || prepareEntry.action === "disabled") return undefined;
  if (prepareEntry.action === "skip" && prepareRecord?.outputs) {
    const outputs = prepareRecord.outputs as {
      train?: { examples?: number; tokens?: number };
      validation?: { examples?: number };
      estimate?: CostEstimate;
    };
    const lines = [counts(outputs.train?.examples, outputs.validation?.examples, outputs.train?.tokens)];
    if (outputs.estimate) lines.push(...renderEstimate(outputs.estimate));
    return {
      source: "recorded",
      trainExamples: outputs.train?.examples,
      validationExamples: outputs.validation?.examples,
      trainTokens: outputs.train?.tokens,
      usd: recordedEstimate(prepareRecord),
      lines,
      invalid: false,
    };
  }
  const tempDir = await mkdtemp(path.join(opts.tempRoot, "tunefile-plan-"));
  try {
    const writers = {
      train: await JsonlWriter.create(path.join(tempDir, "train.jsonl")),
      validation: await JsonlWriter.create(path.join(tempDir, "validation.jsonl")),
    };
    const analysis = await analyzeDataset(pipeline, { tempDir, writers, signal: opts.signal }).finally(() =>
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

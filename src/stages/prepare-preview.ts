import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { analyzeDataset } from "../data/analyze.js";
import { JsonlWriter } from "../data/jsonl-writer.js";
import { renderEstimate } from "../data/render-analysis.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { recordedEstimate } from "../engine/budget.js";
import type { PreviewInput, StagePreview } from "../engine/stage.js";
import { outputsOf } from "../engine/stage-io.js";

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
 * Prepare's preview for `tunefile plan`: the data counts and training cost estimate, without side effects in the
 * project: taken from prepare's record when prepare is fresh, otherwise measured now by a dry pass over the data
 * (spill files in `input.tempDir`, removed). Prepare itself costs nothing, so the training estimate is in
 * `data.estimate.usd`, not `estimatedCostUsd` (which counts against the budget as this stage's own spend).
 */
export async function previewPrepare(pipeline: LoadedPipeline, input: PreviewInput): Promise<StagePreview> {
  const estimate = await estimateData(pipeline, input);
  const from = estimate.source === "recorded" ? " (recorded by the last run)" : "";
  return { lines: estimate.lines, data: { ...estimate, heading: `prepare${from}` } };
}

async function estimateData(pipeline: LoadedPipeline, input: PreviewInput): Promise<DataEstimate> {
  const prepareRecord = input.record;
  const outputs = outputsOf("prepare", prepareRecord);
  if (input.action === "skip" && outputs) {
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

import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { findModel } from "../core/catalog/models.js";
import { inferenceUsd } from "../core/catalog/prices.js";
import { tokenCounterForModel } from "../data/tokens.js";
import { candidatesAndPrompts } from "./candidates.js";
import { completionParams, messagesFor } from "./run.js";
import { candidatePrice } from "./stats/cost.js";

/** What `tunefile plan` says about an evaluation before it runs. */
export interface EvaluationEstimate {
  prompts: number;
  /** Candidates known before training (not checkpoints). */
  candidates: number;
  requests: number;
  /** Upper bound in US dollars: every answer as long as max_tokens, each candidate at its own inference prices. */
  maxCostUsd: number | undefined;
}

/** Chat format overhead per message and for the reply priming, as the cookbook counts it. */
const PER_MESSAGE = 3;
const PRIMING = 3;

/**
 * Counts the requests an evaluation will make and bounds their cost, without touching the network: prompt tokens
 * are counted with each model's tokenizer, answers are assumed to use all of max_tokens, and each candidate is priced
 * at its own rates (see candidatePrice). The cache is ignored on purpose, so the bound holds for a fresh clone.
 */
export async function estimateEvaluation(pipeline: LoadedPipeline): Promise<EvaluationEstimate | undefined> {
  const evaluation = pipeline.config.evaluation;
  if (!evaluation) return undefined;
  const model = pipeline.config.model;
  // Before training, `fine_tuned` stands for a fine-tuned model of the pipeline's model; checkpoints are not known.
  const unknown = { fine_tuned_model: model, checkpoints: [] };
  const { candidates, prompts } = await candidatesAndPrompts(pipeline, evaluation, undefined, unknown);
  const maxTokens = completionParams(evaluation.params).max_completion_tokens as number;
  let cost: number | undefined = 0;
  for (const candidate of candidates) {
    const family = findModel(candidate.model) ?? (candidate.kind === "fine_tuned" ? findModel(model) : undefined);
    // A fine-tuned id the catalog does not know is priced as a fine-tuned model of the pipeline's base model.
    const priced = candidate.kind === "fine_tuned" && !findModel(candidate.model) ? { ...candidate, model } : candidate;
    const price = candidatePrice(priced, pipeline.config.prices, evaluation.mode ?? "sync");
    if (!family || !price) {
      cost = undefined;
      break;
    }
    const counter = await tokenCounterForModel(family.snapshot);
    for (const prompt of prompts) {
      const input = messagesFor(candidate, prompt).reduce(
        (n, m) => n + PER_MESSAGE + counter.count(m.content),
        PRIMING,
      );
      cost += inferenceUsd(price, input, maxTokens);
    }
  }
  return {
    prompts: prompts.length,
    candidates: candidates.length,
    requests: prompts.length * candidates.length,
    maxCostUsd: cost,
  };
}

import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { findModel } from "../core/catalog/models.js";
import { inferenceUsd } from "../core/catalog/prices.js";
import { tokenCounterForModel } from "../data/tokens.js";
import { candidatesAndPrompts } from "./candidates.js";
import { JUDGE_SYSTEM_PROMPT } from "./graders/llm-judge.js";
import { completionParams, JUDGE_PARAMS, messagesFor } from "./run.js";
import { candidatePrice } from "./stats/cost.js";
import type { EvalPrompt } from "./types.js";

/** What `tunefile plan` says about an evaluation before it runs. */
export interface EvaluationEstimate {
  prompts: number;
  /** Candidates, `checkpoints` counted as {@link MAX_CHECKPOINTS}. */
  candidates: number;
  requests: number;
  /**
   * Upper bound in US dollars: every answer as long as max_tokens, each candidate at its own inference prices, and
   * every llm-judge request at its judge's, with the longest answer and the longest verdict.
   */
  maxCostUsd: number | undefined;
  /** When the bound is unknown: the first model asked without a known price. */
  unpriced?: string;
}

/**
 * How many retained checkpoints `checkpoints` stands for before training: the service keeps those of the last three
 * epochs (https://platform.openai.com/docs/guides/fine-tuning, "Use a checkpointed model"; the local provider
 * does the same), so the bound holds however many epochs train.
 */
export const MAX_CHECKPOINTS = 3;

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
  // Before training, `fine_tuned` and each checkpoint stand for a fine-tuned model of the pipeline's model.
  const checkpoints = Array.from({ length: MAX_CHECKPOINTS }, (_, i) => `${model}:ckpt-step-${i + 1}`);
  const unknown = { fine_tuned_model: model, checkpoints };
  const { candidates, prompts } = await candidatesAndPrompts(pipeline, evaluation, undefined, unknown);
  const maxTokens = completionParams(evaluation.params).max_completion_tokens as number;
  let cost = 0;
  for (const candidate of candidates) {
    const trained = candidate.kind === "fine_tuned" || candidate.kind === "checkpoint";
    // A fine-tuned id the catalog does not know is priced as a fine-tuned model of the pipeline's base model.
    const priced = trained && !findModel(candidate.model) ? { ...candidate, model } : candidate;
    const price = candidatePrice(priced, pipeline.config.prices, evaluation.mode ?? "sync");
    if (!price) return estimateOf(prompts.length, candidates.length, undefined, candidate.model);
    // A model the catalog does not know but `prices:` does is counted with the tokenizer its name suggests.
    const counter = await tokenCounterForModel(priced.model);
    for (const prompt of prompts) {
      const input = messagesFor(candidate, prompt).reduce(
        (n, m) => n + PER_MESSAGE + counter.count(m.content),
        PRIMING,
      );
      cost += inferenceUsd(price, input, maxTokens);
      const judged = await judgeCost(pipeline, prompt, maxTokens);
      if (typeof judged === "string") return estimateOf(prompts.length, candidates.length, undefined, judged);
      cost += judged;
    }
  }
  return estimateOf(prompts.length, candidates.length, cost);
}

function estimateOf(
  prompts: number,
  candidates: number,
  cost: number | undefined,
  unpriced?: string,
): EvaluationEstimate {
  return { prompts, candidates, requests: prompts * candidates, maxCostUsd: cost, ...(unpriced ? { unpriced } : {}) };
}

/**
 * The most the prompt's llm-judge requests can cost for one answer: the judge's instructions, the rubric, the
 * question and an answer of max_tokens in, the longest verdict out, at the judge model's own rates (judges are
 * always asked synchronously). A judge model without a known price comes back by its name.
 */
async function judgeCost(pipeline: LoadedPipeline, prompt: EvalPrompt, answerTokens: number): Promise<number | string> {
  let usd = 0;
  for (const { config } of prompt.graders) {
    const judge = config["llm-judge"];
    if (!judge) continue;
    const model = judge.model ?? pipeline.config.evaluation?.judge?.model ?? pipeline.config.model;
    const price = candidatePrice({ kind: "model", model }, pipeline.config.prices);
    if (!price) return model;
    const counter = await tokenCounterForModel(model);
    const asked = `Rubric:\n${judge.rubric}\n\nQuestion:\n${prompt.user}\n\nAnswer to grade:\n`;
    const input = PRIMING + 2 * PER_MESSAGE + counter.count(JUDGE_SYSTEM_PROMPT) + counter.count(asked) + answerTokens;
    usd += inferenceUsd(price, input, JUDGE_PARAMS.max_completion_tokens);
  }
  return usd;
}

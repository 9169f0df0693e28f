import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { findModel } from "../core/catalog/models.js";
import { inferenceUsd } from "../core/catalog/prices.js";
import { tokenCounterForModel } from "../data/tokens.js";
import { configuredCandidates, fewShotCount } from "./candidates.js";
import { expandPrompts } from "./prompts.js";
import { completionParams, messagesFor } from "./run.js";
import { candidatePrice } from "./stats/cost.js";
import { sampleTrainingData } from "./training-examples.js";
import type { EvalCandidate } from "./types.js";

/** What `tunefile plan` says about an evaluation before it runs. */
export interface EvaluationEstimate {
  prompts: number;
  /** Candidates known before training (checkpoints are counted when they exist). */
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
 * at its own rates: base and few-shot at the base model's, a fine-tuned model at the fine-tuned rates of the
 * pipeline's model (its id is not known before training), overrides first. Cached answers would cost nothing; this ignores the
 * cache on purpose, so the bound holds for a fresh clone.
 */
export async function estimateEvaluation(pipeline: LoadedPipeline): Promise<EvaluationEstimate | undefined> {
  const evaluation = pipeline.config.evaluation;
  if (!evaluation) return undefined;
  const sample = await sampleTrainingData(pipeline, undefined, fewShotCount(pipeline.config));
  const { prompts } = await expandPrompts({
    evaluation,
    pipelineDir: pipeline.paths.dir,
    displayBase: pipeline.paths.root,
    defaultSystem: sample.system,
  });
  const model = pipeline.config.model;
  const candidates: EvalCandidate[] = configuredCandidates(pipeline.config).flatMap((c): EvalCandidate[] => {
    if (c === "checkpoints") return [];
    if (typeof c === "object" && "few_shot" in c) {
      return [{ label: "few_shot", kind: "few_shot", model, shots: sample.shots.slice(0, c.few_shot).flat() }];
    }
    if (typeof c === "object" && "model" in c) return [{ label: c.model, kind: "model", model: c.model }];
    if (typeof c === "object" && "fine_tuned" in c)
      return [{ label: "fine_tuned", kind: "fine_tuned", model: c.fine_tuned }];
    return [{ label: c, kind: c === "base" ? "base" : "fine_tuned", model }];
  });
  const maxTokens = completionParams(evaluation.params).max_completion_tokens as number;
  let cost: number | undefined = 0;
  for (const candidate of candidates) {
    const family = findModel(candidate.model) ?? (candidate.kind === "fine_tuned" ? findModel(model) : undefined);
    // Before training, a fine-tuned candidate is priced as a fine-tuned model of the pipeline's base model.
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

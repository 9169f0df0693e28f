import {
  type AppliedInferencePrice,
  batchInferencePrice,
  inferencePrice,
  isFineTunedModel,
  type PriceOverrides,
  type RateKind,
} from "../../core/catalog/prices.js";
import type { CandidateKind } from "../types.js";

/** Base and few-shot candidates call the base model, so they pay its own rates; trained models the fine-tuned ones. */
const RATES: Record<Exclude<CandidateKind, "model">, RateKind> = {
  base: "base",
  few_shot: "base",
  fine_tuned: "fine_tuned",
  checkpoint: "fine_tuned",
};

/** Which rates a candidate pays; a `{model}` candidate by what its id names. */
export function rateKindOf(kind: CandidateKind, model: string): RateKind {
  if (kind !== "model") return RATES[kind];
  return isFineTunedModel(model) ? "fine_tuned" : "base";
}

/** How requests are sent: through the Batch API they cost half. */
export type RequestMode = "sync" | "batch";

/** The price a candidate is charged at, with its provenance; undefined when no price is known for its model. */
export function candidatePrice(
  candidate: { kind: CandidateKind; model: string },
  overrides?: PriceOverrides,
  mode: RequestMode = "sync",
): AppliedInferencePrice | undefined {
  const price = mode === "batch" ? batchInferencePrice : inferencePrice;
  return price(candidate.model, rateKindOf(candidate.kind, candidate.model), overrides);
}

/** Estimated US dollars per 1,000 requests with the given mean token counts at the given price (not a bill). */
export function costPer1kRequests(
  price: AppliedInferencePrice,
  meanPromptTokens: number,
  meanCompletionTokens: number,
) {
  return (1000 * (meanPromptTokens * price.input + meanCompletionTokens * price.output)) / 1_000_000;
}

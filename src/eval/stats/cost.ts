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

/** How requests are sent: through the Batch API they cost half. */
export type RequestMode = "sync" | "batch";

/**
 * The price a candidate is charged at, with its provenance; undefined when no price is known for its model. A
 * `{model}` candidate pays the rates its id names. A candidate on another provider is asked synchronously even in
 * batch mode (a batch goes to one service), so it pays the full rates.
 */
export function candidatePrice(
  candidate: { kind: CandidateKind; model: string; provider?: unknown },
  overrides?: PriceOverrides,
  mode: RequestMode = "sync",
): AppliedInferencePrice | undefined {
  const { kind, model } = candidate;
  const rates = kind !== "model" ? RATES[kind] : isFineTunedModel(model) ? "fine_tuned" : "base";
  const batched = mode === "batch" && candidate.provider === undefined;
  return (batched ? batchInferencePrice : inferencePrice)(model, rates, overrides);
}

import { findModel } from "../../data/models.js";

/**
 * Estimated US dollars per 1,000 requests with the given mean token counts, at the catalog's inference prices for
 * the model's family (a fine-tuned model or checkpoint is priced as its base's fine-tuned inference). These are
 * estimates from the price table in src/data/models.ts, not a bill. Undefined when the model is not in the catalog.
 */
export function costPer1kRequests(model: string, meanPromptTokens: number, meanCompletionTokens: number) {
  const family = findModel(model);
  if (!family) return undefined;
  const { inputUsdPer1M, outputUsdPer1M } = family.inferencePrice;
  return (1000 * (meanPromptTokens * inputUsdPer1M + meanCompletionTokens * outputUsdPer1M)) / 1_000_000;
}

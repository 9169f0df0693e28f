import { roundUsd } from "../core/format-usd.js";
import type { Pipeline } from "../core/pipeline.generated.js";
import { OVERRIDE_SOURCE, type PriceOverrides, trainingPrice } from "../core/catalog/prices.js";

/** The cookbook's constants for the default number of epochs. */
const TARGET_EPOCHS = 3;
const MIN_TARGET_EXAMPLES = 100;
const MAX_TARGET_EXAMPLES = 25_000;
const MIN_DEFAULT_EPOCHS = 1;
const MAX_DEFAULT_EPOCHS = 25;

/**
 * Epochs a provider trains when none is given, where it documents a fixed default of its own: Together's `n_epochs`
 * defaults to 1 (https://github.com/togethercomputer/openapi, `POST /fine-tunes`). The others are estimated by the
 * cookbook's heuristic, which is OpenAI's behaviour.
 */
const PROVIDER_DEFAULT_EPOCHS: Readonly<Record<string, number>> = { together: 1 };

/** The default epochs of the pipeline's `provider:` (a kind, or settings with one), when it has its own. */
function providerDefaultEpochs(provider: Pipeline["provider"]): number | undefined {
  const kind = typeof provider === "string" ? provider : provider?.kind;
  return kind === undefined ? undefined : PROVIDER_DEFAULT_EPOCHS[kind];
}

/** The epochs the service picks for `n_epochs: auto` on `n` examples, by the cookbook's heuristic (5 → 20). */
export function defaultEpochs(examples: number): number {
  if (examples <= 0) return TARGET_EPOCHS;
  if (examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) {
    return Math.min(MAX_DEFAULT_EPOCHS, Math.floor(MIN_TARGET_EXAMPLES / examples));
  }
  if (examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) {
    return Math.max(MIN_DEFAULT_EPOCHS, Math.floor(MAX_TARGET_EXAMPLES / examples));
  }
  return TARGET_EPOCHS;
}

/** The training cost estimate, recorded in the lockfile and printed with the price's provenance. */
export interface CostEstimate {
  n_epochs: number;
  /** configured: training.hyperparameters.n_epochs; provider: the provider's own default; heuristic: the cookbook's. */
  epochs_from: "configured" | "provider" | "heuristic";
  /** Billing tokens of one epoch: Σ min(limit, tokens per example) over the training set. */
  billing_tokens: number;
  /** n_epochs × billing_tokens: what the job should report as trained_tokens. */
  trained_tokens: number;
  /** Estimated US dollars; null when the model has no known price. */
  usd: number | null;
  usd_per_1m: number | null;
  /** A public URL, or "pipeline override[: its source]" when the pipeline's `prices:` set the figure. */
  price_source: string | null;
  price_as_of: string | null;
  /** Why the figure is uncertain (e.g. unconfirmed); null when it is confirmed or an override. */
  price_note: string | null;
}

/**
 * Estimated training cost = epochs × billing tokens × price per token (the guide's formula). Validation tokens
 * are not billed. The price is the pipeline's override for the model when it has one, else the table's.
 */
export function estimateTrainingCost(input: {
  model: string;
  trainExamples: number;
  billingTokens: number;
  nEpochs?: number | "auto";
  prices?: PriceOverrides;
  /** The pipeline's `provider:`, for its own default epochs. */
  provider?: Pipeline["provider"];
}): CostEstimate {
  const fixed = providerDefaultEpochs(input.provider);
  const epochs_from = typeof input.nEpochs === "number" ? "configured" : fixed !== undefined ? "provider" : "heuristic";
  const n_epochs = typeof input.nEpochs === "number" ? input.nEpochs : (fixed ?? defaultEpochs(input.trainExamples));
  const trained_tokens = n_epochs * input.billingTokens;
  const price = trainingPrice(input.model, input.prices);
  const source = !price
    ? null
    : price.override && price.source !== OVERRIDE_SOURCE
      ? `${OVERRIDE_SOURCE}: ${price.source}`
      : price.source;
  return {
    n_epochs,
    epochs_from,
    billing_tokens: input.billingTokens,
    trained_tokens,
    usd: price ? roundUsd((trained_tokens / 1_000_000) * price.per_1m) : null,
    usd_per_1m: price?.per_1m ?? null,
    price_source: source,
    price_as_of: price?.as_of ?? null,
    price_note: price?.note ?? null,
  };
}

/**
 * The estimate for billing tokens counted by prepare, with the pipeline as it is now: its model, prices, epochs and
 * provider. Prepare computes it once; the budget and the plan compute it again from the recorded tokens, because
 * prepare stays fresh when only `prices:` or the provider changed, so its recorded dollar figure can be stale.
 */
export function pipelineEstimate(
  config: Pick<Pipeline, "model" | "prices" | "provider" | "training">,
  trainExamples: number,
  billingTokens: number,
): CostEstimate {
  return estimateTrainingCost({
    model: config.model,
    trainExamples,
    billingTokens,
    nEpochs: config.training?.hyperparameters?.n_epochs,
    ...(config.prices ? { prices: config.prices } : {}),
    provider: config.provider,
  });
}

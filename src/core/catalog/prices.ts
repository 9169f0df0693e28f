import type { Pipeline } from "../pipeline.generated.js";
import { BATCH_URL, baseModelOf, findModel, type InferenceRates, type PriceSource } from "./models.js";

/** The pipeline's `prices:` overrides, keyed by model id. */
export type PriceOverrides = NonNullable<Pipeline["prices"]>;

/** Which of a model's rates apply: its own base-model rates, or a fine-tuned model's. */
export type RateKind = "base" | "fine_tuned";

/** The provenance every printed price carries. */
export interface PriceProvenance {
  source: string;
  as_of: string;
  /** Why the figure is uncertain (e.g. unconfirmed); absent for confirmed figures and overrides. */
  note?: string;
  /** True when the figure comes from the pipeline's `prices:` and not from the built-in table. */
  override: boolean;
}

/** Inference prices applied to one candidate model, with their provenance. */
export interface AppliedInferencePrice extends PriceProvenance {
  /** US dollars per 1M prompt tokens. */
  input: number;
  /** US dollars per 1M completion tokens. */
  output: number;
  /** Which rates: the base model's own, or a fine-tuned model's. */
  rates: RateKind;
  /** The model (catalog snapshot or override key) whose rates these are. */
  priced_as: string;
}

/** The training price applied to a run, with its provenance. */
export interface AppliedTrainingPrice extends PriceProvenance {
  /** US dollars per 1M trained tokens. */
  per_1m: number;
  priced_as: string;
}

/** What an override without `source`/`as_of` says instead. */
export const OVERRIDE_SOURCE = "pipeline override";
export const UNDATED = "undated";

/** Whether a model id names a fine-tuned model (`ft:…`, an Azure `….ft-<hex>`, or a checkpoint). */
export function isFineTunedModel(model: string): boolean {
  return baseModelOf(model) !== model;
}

/** The override for a model: its exact id first, then (for base rates only) any key naming the same snapshot. */
function overrideFor(model: string, kind: RateKind, overrides: PriceOverrides | undefined) {
  if (!overrides) return undefined;
  const exact = overrides[model];
  if (exact) return { key: model, price: exact };
  if (kind !== "base") return undefined;
  const family = findModel(model);
  if (!family) return undefined;
  for (const [key, price] of Object.entries(overrides)) {
    if (!isFineTunedModel(key) && findModel(key)?.snapshot === family.snapshot) return { key, price };
  }
  return undefined;
}

function overrideProvenance(p: { source?: string | undefined; as_of?: string | undefined }): PriceProvenance {
  return { source: p.source ?? OVERRIDE_SOURCE, as_of: p.as_of ?? UNDATED, override: true };
}

/** A catalog figure's provenance; `note` only when it has one. */
function catalogProvenance(r: PriceSource): PriceProvenance {
  return { source: r.source, as_of: r.as_of, override: false, ...(r.note !== undefined ? { note: r.note } : {}) };
}

function fromCatalog(rates: InferenceRates, kind: RateKind, snapshot: string): AppliedInferencePrice {
  return { input: rates.input, output: rates.output, rates: kind, priced_as: snapshot, ...catalogProvenance(rates) };
}

/**
 * The inference price of a model used as `kind`: a base or few-shot candidate at the base model's own rates, a
 * fine-tuned model or checkpoint at the fine-tuned rates of its family. A pipeline override wins. Undefined when
 * neither the table nor the pipeline knows the model.
 */
export function inferencePrice(
  model: string,
  kind: RateKind,
  overrides?: PriceOverrides,
): AppliedInferencePrice | undefined {
  const override = overrideFor(model, kind, overrides);
  if (override) {
    return {
      input: override.price.input,
      output: override.price.output,
      rates: kind,
      priced_as: override.key,
      ...overrideProvenance(override.price),
    };
  }
  const family = findModel(model);
  const rates = kind === "base" ? family?.prices.base : family?.prices.fine_tuned;
  return family && rates ? fromCatalog(rates, kind, family.snapshot) : undefined;
}

/** The training price of a base model: a pipeline override with `training` wins over the table. */
export function trainingPrice(model: string, overrides?: PriceOverrides): AppliedTrainingPrice | undefined {
  const override = overrideFor(model, "base", overrides);
  if (override?.price.training !== undefined) {
    return { per_1m: override.price.training, priced_as: override.key, ...overrideProvenance(override.price) };
  }
  const family = findModel(model);
  if (!family) return undefined;
  const rate = family.prices.training;
  return { per_1m: rate.per_1m, priced_as: family.snapshot, ...catalogProvenance(rate) };
}

/** US dollars for the given tokens at a price. */
export function inferenceUsd(price: Pick<AppliedInferencePrice, "input" | "output">, input: number, output: number) {
  return (input * price.input + output * price.output) / 1_000_000;
}

/** One line naming a price's provenance, as every report and command prints it. */
export function describeProvenance(p: PriceProvenance): string {
  const origin = p.override && p.source !== OVERRIDE_SOURCE ? `${OVERRIDE_SOURCE}: ${p.source}` : p.source;
  const date = p.as_of === UNDATED ? UNDATED : `as of ${p.as_of}`;
  return `${origin}, ${date}${p.note ? ` (${p.note})` : ""}`;
}

/**
 * The price of a request sent through the Batch API: half the synchronous rates for both inputs and outputs, sourced
 * to the Batch guide for catalog rates, noted as halved for a pipeline override. Undefined when no price is known.
 */
export function batchInferencePrice(
  model: string,
  kind: RateKind,
  overrides?: PriceOverrides,
): AppliedInferencePrice | undefined {
  const sync = inferencePrice(model, kind, overrides);
  if (!sync) return undefined;
  const half = { ...sync, input: sync.input / 2, output: sync.output / 2 };
  return sync.override ? { ...half, note: "the pipeline's price, halved for batches" } : { ...half, source: BATCH_URL };
}

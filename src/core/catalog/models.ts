/**
 * The catalog of fine-tunable base models: their tokenizer encoding, per-example training context, methods and
 * prices. One table, used by validation (is this model fine-tunable?), token counting, cost estimates and the local
 * provider (which accepts exactly these names, like the real API).
 *
 * Every price names its public source and the date it was read. Rows marked `unconfirmed` were not read from an
 * official page; treat them as estimates and override them in the pipeline (`prices:`) when you know better.
 */
export type Encoding = "o200k_base" | "cl100k_base";
export type TrainingMethod = "supervised" | "dpo";

/** Where a price comes from. */
export interface PriceSource {
  /** A public URL. */
  source: string;
  /** The date the figure was read (YYYY-MM-DD). */
  as_of: string;
  /** Present when the figure is not confirmed by the source itself (e.g. read from third-party copies). */
  note?: string;
}

/** Inference prices in US dollars per 1M tokens. */
export interface InferenceRates extends PriceSource {
  input: number;
  output: number;
}

/** Training price in US dollars per 1M trained tokens (epochs × billing tokens). */
export interface TrainingRate extends PriceSource {
  per_1m: number;
}

/** Everything one model family costs: the base model's inference, its fine-tuned models' inference, training. */
export interface ModelPrices {
  /** The base model's own inference rates (base and few-shot candidates); undefined when not known. */
  base: InferenceRates | undefined;
  /** A fine-tuned model's (and checkpoint's) inference rates. */
  fine_tuned: InferenceRates;
  training: TrainingRate;
}

export interface ModelFamily {
  /** Canonical snapshot name, e.g. gpt-4o-mini-2024-07-18. */
  snapshot: string;
  /** Names that resolve to this snapshot: aliases and Azure spellings. */
  aliases: readonly string[];
  encoding: Encoding;
  /** Training context per example in tokens; longer examples are truncated by the service. */
  maxTokensPerExample: number;
  methods: readonly TrainingMethod[];
  prices: ModelPrices;
}

/** OpenAI's pricing page: inference (base and fine-tuned), training and Batch rates. */
export const PRICING_URL = "https://platform.openai.com/docs/pricing";
/** OpenAI's fine-tuning guide, whose worked example (100k tokens × 3 epochs) gives the training prices. */
export const FINE_TUNING_GUIDE_URL = "https://platform.openai.com/docs/guides/fine-tuning";
/** OpenAI's Batch API guide: 50% off both input and output. */
export const BATCH_URL = "https://platform.openai.com/docs/guides/batch";

const UNCONFIRMED = "unconfirmed: from third-party tables and launch notes, not read from the page itself";
const COPIES = "read from several consistent third-party copies of the page";

const rates = (input: number, output: number, as_of: string, note: string): InferenceRates => ({
  input,
  output,
  source: PRICING_URL,
  as_of,
  note,
});
/** Base-model inference rates, as of the copies of the pricing page read in 2026. */
const base = (input: number, output: number, note = COPIES) => rates(input, output, "2026-06-01", note);
const fineTuned = (input: number, output: number, as_of: string, note = UNCONFIRMED) =>
  rates(input, output, as_of, note);
const guide = (per_1m: number): TrainingRate => ({ per_1m, source: FINE_TUNING_GUIDE_URL, as_of: "2024-12-01" });
const training = (per_1m: number, as_of: string) => ({ per_1m, source: PRICING_URL, as_of, note: UNCONFIRMED });

function prices(baseRates: InferenceRates | undefined, ft: InferenceRates, train: TrainingRate): ModelPrices {
  return { base: baseRates, fine_tuned: ft, training: train };
}

/** The GPT-4o and GPT-4.1 families: o200k tokens, 65,536-token examples, supervised and DPO training. */
const GPT4O_GEN = { encoding: "o200k_base", maxTokensPerExample: 65_536, methods: ["supervised", "dpo"] } as const;

export const MODEL_CATALOG: readonly ModelFamily[] = [
  {
    snapshot: "gpt-4.1-2025-04-14",
    aliases: ["gpt-4.1"],
    ...GPT4O_GEN,
    prices: prices(base(2, 8), fineTuned(3, 12, "2025-04-14"), training(25, "2025-04-14")),
  },
  {
    snapshot: "gpt-4.1-mini-2025-04-14",
    aliases: ["gpt-4.1-mini"],
    ...GPT4O_GEN,
    prices: prices(base(0.4, 1.6), fineTuned(0.8, 3.2, "2025-04-14"), training(5, "2025-04-14")),
  },
  {
    snapshot: "gpt-4.1-nano-2025-04-14",
    aliases: ["gpt-4.1-nano"],
    ...GPT4O_GEN,
    prices: prices(base(0.1, 0.4), fineTuned(0.2, 0.8, "2025-04-14"), training(1.5, "2025-04-14")),
  },
  {
    snapshot: "gpt-4o-2024-08-06",
    aliases: ["gpt-4o"],
    ...GPT4O_GEN,
    prices: prices(base(2.5, 10), fineTuned(3.75, 15, "2024-12-01"), {
      ...training(25, "2024-12-01"),
      note: "consistent across several third-party tables; not read from the page itself",
    }),
  },
  {
    snapshot: "gpt-4o-mini-2024-07-18",
    aliases: ["gpt-4o-mini"],
    ...GPT4O_GEN,
    prices: prices(base(0.15, 0.6), fineTuned(0.3, 1.2, "2026-04-01", COPIES), guide(3)),
  },
  {
    snapshot: "gpt-3.5-turbo-0125",
    aliases: ["gpt-3.5-turbo", "gpt-35-turbo-0125", "gpt-35-turbo"],
    encoding: "cl100k_base",
    maxTokensPerExample: 16_385,
    methods: ["supervised"],
    prices: prices(base(0.5, 1.5), fineTuned(3, 6, "2024-12-01"), guide(8)),
  },
  {
    snapshot: "gpt-3.5-turbo-1106",
    aliases: ["gpt-35-turbo-1106"],
    encoding: "cl100k_base",
    maxTokensPerExample: 16_385,
    methods: ["supervised"],
    prices: prices(base(1, 2, UNCONFIRMED), fineTuned(3, 6, "2024-12-01"), guide(8)),
  },
  {
    snapshot: "gpt-3.5-turbo-0613",
    aliases: ["gpt-35-turbo-0613"],
    encoding: "cl100k_base",
    maxTokensPerExample: 4_096,
    methods: ["supervised"],
    prices: prices(base(1.5, 2, UNCONFIRMED), fineTuned(3, 6, "2024-12-01"), guide(8)),
  },
  {
    snapshot: "gpt-4-0613",
    aliases: [],
    encoding: "cl100k_base",
    maxTokensPerExample: 8_192,
    methods: ["supervised"],
    prices: prices(base(30, 60, UNCONFIRMED), fineTuned(45, 90, "2024-12-01"), training(90, "2024-12-01")),
  },
];

/** The base-model segment of a fine-tuned name: `ft:gpt-4o-mini-2024-07-18:org:sfx:id` or Azure `name.ft-<hex>`. */
export function baseModelOf(model: string): string {
  if (model.startsWith("ft:")) return model.split(":")[1] ?? model;
  const azure = /^(.*)\.ft-[0-9a-f]+/i.exec(model);
  return azure?.[1] ?? model;
}

/**
 * The family a model name belongs to: an exact snapshot or alias, or a fine-tuned model of one (continued
 * fine-tuning is allowed). Undefined when the name is not fine-tunable.
 */
export function findModel(model: string): ModelFamily | undefined {
  const base = baseModelOf(model);
  return MODEL_CATALOG.find((m) => m.snapshot === base || m.aliases.includes(base));
}

/**
 * The training context per example of a model; 65,536 for models outside the catalog (the loader already reports
 * those as errors, and the service rejects them).
 */
export function maxTokensPerExampleOf(model: string): number {
  return findModel(model)?.maxTokensPerExample ?? 65_536;
}

/**
 * The tokenizer encoding for any model name, resolving `ft:` names from their base segment (tiktoken's prefix table
 * gets `ft:gpt-4.1-…` wrong). Unknown names fall back by family prefix, then to o200k_base, the current default.
 */
export function encodingFor(model: string): Encoding {
  const known = findModel(model);
  if (known) return known.encoding;
  const base = baseModelOf(model);
  if (/^(gpt-3\.5|gpt-35|gpt-4-|gpt-4$|text-embedding|davinci|babbage)/.test(base)) return "cl100k_base";
  return "o200k_base";
}

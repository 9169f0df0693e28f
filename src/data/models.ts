/**
 * The catalog of fine-tunable base models: their tokenizer encoding, per-example training context, methods and
 * training price. One table, used by validation (is this model fine-tunable?), token counting, cost estimates and
 * the local provider (which accepts exactly these names, like the real API).
 *
 * Prices carry their source and date: only gpt-4o-mini and gpt-3.5-turbo are derived from an
 * official worked example; the rest are marked as unconfirmed.
 */
export type Encoding = "o200k_base" | "cl100k_base";
export type TrainingMethod = "supervised" | "dpo";

export interface Price {
  /** US dollars per 1M training tokens. */
  usdPer1MTrainingTokens: number;
  source: string;
  as_of: string;
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
  trainingPrice: Price;
  /** Inference prices per 1M tokens for the fine-tuned model, for evaluation cost estimates. */
  inferencePrice: { inputUsdPer1M: number; outputUsdPer1M: number; source: string; as_of: string };
}

const GUIDE = "OpenAI fine-tuning guide worked example";
const UNCONFIRMED = "third-party tables / launch notes, unconfirmed";

export const MODEL_CATALOG: readonly ModelFamily[] = [
  {
    snapshot: "gpt-4.1-2025-04-14",
    aliases: ["gpt-4.1"],
    encoding: "o200k_base",
    maxTokensPerExample: 65_536,
    methods: ["supervised", "dpo"],
    trainingPrice: { usdPer1MTrainingTokens: 25, source: UNCONFIRMED, as_of: "2025-04-14" },
    inferencePrice: { inputUsdPer1M: 3, outputUsdPer1M: 12, source: UNCONFIRMED, as_of: "2025-04-14" },
  },
  {
    snapshot: "gpt-4.1-mini-2025-04-14",
    aliases: ["gpt-4.1-mini"],
    encoding: "o200k_base",
    maxTokensPerExample: 65_536,
    methods: ["supervised", "dpo"],
    trainingPrice: { usdPer1MTrainingTokens: 5, source: UNCONFIRMED, as_of: "2025-04-14" },
    inferencePrice: { inputUsdPer1M: 0.8, outputUsdPer1M: 3.2, source: UNCONFIRMED, as_of: "2025-04-14" },
  },
  {
    snapshot: "gpt-4.1-nano-2025-04-14",
    aliases: ["gpt-4.1-nano"],
    encoding: "o200k_base",
    maxTokensPerExample: 65_536,
    methods: ["supervised", "dpo"],
    trainingPrice: { usdPer1MTrainingTokens: 1.5, source: UNCONFIRMED, as_of: "2025-04-14" },
    inferencePrice: { inputUsdPer1M: 0.2, outputUsdPer1M: 0.8, source: UNCONFIRMED, as_of: "2025-04-14" },
  },
  {
    snapshot: "gpt-4o-2024-08-06",
    aliases: ["gpt-4o"],
    encoding: "o200k_base",
    maxTokensPerExample: 65_536,
    methods: ["supervised", "dpo"],
    trainingPrice: { usdPer1MTrainingTokens: 25, source: UNCONFIRMED, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 3.75, outputUsdPer1M: 15, source: UNCONFIRMED, as_of: "2024-12-01" },
  },
  {
    snapshot: "gpt-4o-mini-2024-07-18",
    aliases: ["gpt-4o-mini"],
    encoding: "o200k_base",
    maxTokensPerExample: 65_536,
    methods: ["supervised", "dpo"],
    trainingPrice: { usdPer1MTrainingTokens: 3, source: GUIDE, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 0.3, outputUsdPer1M: 1.2, source: UNCONFIRMED, as_of: "2026-04-01" },
  },
  {
    snapshot: "gpt-3.5-turbo-0125",
    aliases: ["gpt-3.5-turbo", "gpt-35-turbo-0125", "gpt-35-turbo"],
    encoding: "cl100k_base",
    maxTokensPerExample: 16_385,
    methods: ["supervised"],
    trainingPrice: { usdPer1MTrainingTokens: 8, source: GUIDE, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 3, outputUsdPer1M: 6, source: UNCONFIRMED, as_of: "2024-12-01" },
  },
  {
    snapshot: "gpt-3.5-turbo-1106",
    aliases: ["gpt-35-turbo-1106"],
    encoding: "cl100k_base",
    maxTokensPerExample: 16_385,
    methods: ["supervised"],
    trainingPrice: { usdPer1MTrainingTokens: 8, source: GUIDE, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 3, outputUsdPer1M: 6, source: UNCONFIRMED, as_of: "2024-12-01" },
  },
  {
    snapshot: "gpt-3.5-turbo-0613",
    aliases: ["gpt-35-turbo-0613"],
    encoding: "cl100k_base",
    maxTokensPerExample: 4_096,
    methods: ["supervised"],
    trainingPrice: { usdPer1MTrainingTokens: 8, source: GUIDE, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 3, outputUsdPer1M: 6, source: UNCONFIRMED, as_of: "2024-12-01" },
  },
  {
    snapshot: "gpt-4-0613",
    aliases: [],
    encoding: "cl100k_base",
    maxTokensPerExample: 8_192,
    methods: ["supervised"],
    trainingPrice: { usdPer1MTrainingTokens: 90, source: UNCONFIRMED, as_of: "2024-12-01" },
    inferencePrice: { inputUsdPer1M: 45, outputUsdPer1M: 90, source: UNCONFIRMED, as_of: "2024-12-01" },
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

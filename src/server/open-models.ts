import { findModel, type ModelFamily } from "../core/catalog/models.js";
import { OPEN_MODELS } from "../core/catalog/open-models.js";

/**
 * The fine-tunable family of a model name on this server: OpenAI's catalog, or an open model of the Together and
 * Nebius catalogs, which the local provider serves with the same tiny model (o200k tokenizer) under its own name.
 */
export function servedFamily(model: string): ModelFamily | undefined {
  const known = findModel(model);
  if (known) return known;
  const open = OPEN_MODELS.find((m) => m.name === model);
  const standIn = findModel("gpt-4o-mini-2024-07-18");
  if (!open || !standIn) return undefined;
  return {
    ...standIn,
    snapshot: open.name,
    aliases: [],
    methods: open.methods,
    maxTokensPerExample: open.maxTokensPerExample,
  };
}

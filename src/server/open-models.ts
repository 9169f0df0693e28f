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

/** The canonical snapshot behind a job's model (an `ft:` model trains on from its base family's snapshot). */
export function baseSnapshotOf(model: string): string {
  return findModel(model)?.snapshot ?? model;
}

/** A fine-tuned model's name: OpenAI's `ft:…`, or Azure's `….ft-<hex>`. */
export function isFineTunedName(name: string): boolean {
  return name.startsWith("ft:") || /\.ft-[0-9a-f]+/i.test(name);
}

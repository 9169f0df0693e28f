import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { messagesOf, roleOf, textOf } from "../data/item.js";
import type { StageRecord } from "../engine/stage.js";
import { trainingRows } from "./training-examples.js";
import type { EvalPrompt, PromptOverlap, TrainingOverlap } from "./types.js";

/** Whitespace runs collapsed to one space, trimmed, lower-cased (Unicode NFKC first, so look-alike forms agree). */
export function normaliseText(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

/**
 * Streams the training data once, holding only the evaluation prompts in memory (not the training set), and finds
 * every prompt whose user message equals a training user message exactly, or after {@link normaliseText}.
 */
export async function findTrainingOverlap(
  pipeline: LoadedPipeline,
  prepare: StageRecord | undefined,
  prompts: readonly EvalPrompt[],
): Promise<TrainingOverlap> {
  const exact = new Map<string, EvalPrompt[]>();
  const normalised = new Map<string, EvalPrompt[]>();
  for (const p of prompts) {
    exact.set(p.user, [...(exact.get(p.user) ?? []), p]);
    const key = normaliseText(p.user);
    normalised.set(key, [...(normalised.get(key) ?? []), p]);
  }
  const found = new Map<string, PromptOverlap>();
  let file = "";
  let examples = 0;
  for await (const row of trainingRows(pipeline, prepare)) {
    if (row.kind !== "row") continue;
    file ||= row.file;
    const messages = messagesOf(row.value);
    if (!messages) continue;
    examples += 1;
    for (const m of messages) {
      if (roleOf(m) !== "user") continue;
      const text = textOf(m);
      const where = { file: row.file, line: row.line };
      for (const p of exact.get(text) ?? []) {
        const seen = found.get(p.id);
        if (seen?.match !== "exact") found.set(p.id, { prompt: p.id, user: p.user, match: "exact", training: where });
      }
      for (const p of normalised.get(normaliseText(text)) ?? []) {
        if (!found.has(p.id)) found.set(p.id, { prompt: p.id, user: p.user, match: "normalised", training: where });
      }
    }
  }
  const matches = prompts.flatMap((p) => found.get(p.id) ?? []);
  return { file, examples, prompts: prompts.length, matches };
}

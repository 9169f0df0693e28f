import type { LoadedPipeline } from "../config/loaded-pipeline.js";
import { messagesOf, roleOf, textOf } from "../data/item.js";
import type { StageRecord } from "../engine/stage.js";
import { trainingRows } from "./training-examples.js";
import type { EvalPrompt } from "./types.js";

/** How an evaluation prompt matched a training example's user message. */
export type OverlapMatch = "exact" | "normalised";

/** An evaluation prompt that appears in the training data. */
export interface PromptOverlap {
  /** The prompt's id. */
  prompt: string;
  /** The rendered user message that was compared. */
  user: string;
  match: OverlapMatch;
  /** The first training example that has it: its file and 1-based line. */
  training: { file: string; line: number };
}

/**
 * Whether the evaluation prompts are held out: each prompt, as rendered (the final user message of the request), is
 * compared with every user message of every training example. A prompt the model was trained on measures recall,
 * not generalisation, so reports say how many "appear in the training data" and which.
 */
export interface TrainingOverlap {
  /** The training file compared with (the prepared file, or the raw source when prepare did not run). */
  file: string;
  /** Training examples with chat messages that were compared; 0 means nothing could be compared. */
  examples: number;
  /** Evaluation prompts compared. */
  prompts: number;
  /** The prompts that appear in the training data, in prompt order. */
  matches: PromptOverlap[];
}

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
  const matches = prompts.flatMap((p) => {
    const m = found.get(p.id);
    return m ? [m] : [];
  });
  return { file, examples, prompts: prompts.length, matches };
}

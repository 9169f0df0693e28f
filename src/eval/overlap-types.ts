// What the held-out check found, as recorded in results.json: a leaf, so eval/types can name it without importing
// the check itself.

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

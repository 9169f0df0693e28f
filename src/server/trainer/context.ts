/**
 * The conversation as a source of next tokens: the earlier assistant answers and the retrieved passage. Where the
 * answer's last one, two or three tokens also occur in one of them, the token that followed there is proposed
 * (an "induction" or cache feature: Kuhn and De Mori, "A cache-based natural language model for speech
 * recognition", 1990). This is how earlier turns shape an answer: few-shot examples in the prompt propose their
 * own phrasing, punctuation and ending, and the retrieved passage proposes its facts.
 *
 * A proposal's weight is one weight per match length shared by every source, which pretraining sets (by copying
 * from the retrieved passage), plus, for an earlier answer, one per kind (the last answer or an earlier one) and
 * match length. Those start at 0: an answer in the conversation counts as much as the passage until training on
 * multi-turn conversations learns otherwise (the pretraining corpus has none). User and system
 * messages are not sources: their words reach the answer through the copy component (./copy.ts), and as sources
 * they would propose the question's own words as the start of every answer.
 */
import type { Tokenizer } from "./tokenizer.js";
import type { ChatMessage } from "./types.js";

/** Kinds of source: the passage, the last earlier answer, the answers before it (recency is learned apart). */
export const SOURCE = { passage: 0, lastAnswer: 1, earlierAnswer: 2 } as const;
export const SOURCE_KINDS = 3;
/** Longest suffix match looked at (longer matches count as this). */
export const MAX_MATCH = 3;
/** Occurrences of one token looked at per position (the most recent): keeps the cost per token O(1). */
const MAX_OCCURRENCES = 16;

export interface ContextSource {
  kind: number;
  /** Start sentinel, the text's tokens, then end-of-answer (where a source ends, it proposes ending the answer). */
  tokens: readonly number[];
}

export interface ContextIndex {
  sources: readonly ContextSource[];
  /** Token -> pairs (source index, position), most recent last, at most MAX_OCCURRENCES pairs. */
  at: ReadonlyMap<number, readonly number[]>;
}

export const EMPTY_CONTEXT: ContextIndex = { sources: [], at: new Map() };

/** The sources of an answer: the passage (if any), then the turns before the answer in order. */
export function contextOf(tokenizer: Tokenizer, before: readonly ChatMessage[], passage?: string): ContextIndex {
  const sources: ContextSource[] = [];
  const add = (kind: number, text: string) => {
    if (text) sources.push({ kind, tokens: [tokenizer.bos, ...tokenizer.encodeCached(text), tokenizer.eos] });
  };
  if (passage) add(SOURCE.passage, passage);
  const lastAnswer = before.findLastIndex((m) => m.role === "assistant");
  before.forEach((m, i) => {
    if (m.role === "assistant") add(i === lastAnswer ? SOURCE.lastAnswer : SOURCE.earlierAnswer, m.content);
  });
  if (sources.length === 0) return EMPTY_CONTEXT;
  const at = new Map<number, number[]>();
  sources.forEach((source, s) => {
    // The last token has no successor to propose, except the end-of-answer sentinel itself, which has none either.
    for (let pos = 0; pos < source.tokens.length - 1; pos++) {
      const t = source.tokens[pos]!;
      const list = at.get(t) ?? [];
      at.set(t, list);
      list.push(s, pos);
      if (list.length > 2 * MAX_OCCURRENCES) list.splice(0, 2);
    }
  });
  return { sources, at };
}

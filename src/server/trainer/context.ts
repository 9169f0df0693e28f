/**
 * The conversation as a source of next tokens: the earlier assistant answers and the retrieved passage. Where the
 * answer's last one, two or three tokens also occur in one of them, the token that followed there is proposed
 * (an "induction" or cache feature: Kuhn and De Mori, "A cache-based natural language model for speech
 * recognition", 1990). This is how earlier turns shape an answer: few-shot examples in the prompt propose their
 * own phrasing, punctuation and ending, and the retrieved passage proposes its facts.
 *
 * A proposal's weight is learned per kind of source and length of match. A passage's kind is its relevance (how
 * much of the question it covers): pretraining sets the weights of relevant passages, by copying from the article
 * retrieved for each topic. An earlier answer's proposal has the weight of a fully relevant passage plus weights of
 * its own kind (the last answer, or an earlier one), which start at 0: an answer in the conversation counts like a
 * relevant passage until training on multi-turn conversations learns otherwise (the pretraining corpus has none).
 * User and system
 * messages are not sources: their words reach the answer through the copy component (./copy.ts), and as sources
 * they would propose the question's own words as the start of every answer.
 */
import { RELEVANCE_LEVELS, type Retrieved } from "./retrieval.js";
import type { Tokenizer } from "./tokenizer.js";
import type { ChatMessage } from "./types.js";

/**
 * Kinds of source: the passage, by its relevance (0 .. RELEVANCE_LEVELS - 1: a passage that covers the question
 * is trusted more than one that shares a word with it); the last earlier answer; the answers before it.
 */
export const SOURCE = { lastAnswer: RELEVANCE_LEVELS, earlierAnswer: RELEVANCE_LEVELS + 1 } as const;
export const SOURCE_KINDS = RELEVANCE_LEVELS + 2;
/** Longest suffix match looked at (longer matches count as this). */
export const MAX_MATCH = 3;
/** Occurrences of one token looked at per position (the most recent): keeps the cost per token O(1). */
const MAX_OCCURRENCES = 16;

export interface ContextSource {
  kind: number;
  /**
   * MAX_MATCH start sentinels, the text's tokens, then end-of-answer (where a source ends, it proposes ending the
   * answer). The sentinels pad the source the way a cursor starts (its previous tokens are all the sentinel), so
   * the start of an answer matches the start of a source as fully as any other MAX_MATCH tokens.
   */
  tokens: readonly number[];
}

export interface ContextIndex {
  sources: readonly ContextSource[];
  /** Token -> pairs (source index, position), most recent last, at most MAX_OCCURRENCES pairs. */
  at: ReadonlyMap<number, readonly number[]>;
}

export const EMPTY_CONTEXT: ContextIndex = { sources: [], at: new Map() };

/** Contexts made of a passage alone, shared by every answer that retrieves it (most training turns). */
const passageOnly = new Map<string, ContextIndex>();
const MAX_SHARED_CONTEXTS = 10_000;

/** The sources of an answer: the passage (if any), then the turns before the answer in order. */
export function contextOf(tokenizer: Tokenizer, before: readonly ChatMessage[], passage?: Retrieved): ContextIndex {
  if (!before.some((m) => m.role === "assistant")) {
    if (!passage) return EMPTY_CONTEXT;
    const key = `${tokenizer.encoding}\u0000${passage.relevance}\u0000${passage.passage.text}`;
    let hit = passageOnly.get(key);
    if (!hit) {
      if (passageOnly.size >= MAX_SHARED_CONTEXTS) passageOnly.clear();
      hit = buildContext(tokenizer, [], passage);
      passageOnly.set(key, hit);
    }
    return hit;
  }
  return buildContext(tokenizer, before, passage);
}

function buildContext(tokenizer: Tokenizer, before: readonly ChatMessage[], passage?: Retrieved): ContextIndex {
  const sources: ContextSource[] = [];
  const add = (kind: number, text: string) => {
    if (!text) return;
    const start = new Array<number>(MAX_MATCH).fill(tokenizer.bos);
    sources.push({ kind, tokens: [...start, ...tokenizer.encodeCached(text), tokenizer.eos] });
  };
  if (passage) add(passage.relevance, passage.passage.text);
  const lastAnswer = before.findLastIndex((m) => m.role === "assistant");
  before.forEach((m, i) => {
    if (m.role === "assistant") add(i === lastAnswer ? SOURCE.lastAnswer : SOURCE.earlierAnswer, m.content);
  });
  if (sources.length === 0) return EMPTY_CONTEXT;
  const at = new Map<number, number[]>();
  sources.forEach((source, s) => {
    // From the last sentinel (earlier ones would propose a sentinel) to the token before end-of-answer.
    for (let pos = MAX_MATCH - 1; pos < source.tokens.length - 1; pos++) {
      const t = source.tokens[pos]!;
      const list = at.get(t) ?? [];
      at.set(t, list);
      list.push(s, pos);
      if (list.length > 2 * MAX_OCCURRENCES) list.splice(0, 2);
    }
  });
  return { sources, at };
}

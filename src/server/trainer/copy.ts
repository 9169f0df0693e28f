/**
 * The copy (pointer) component: the words of the last user message are candidate next tokens, so the model can
 * name things it never saw in training ("Tell me about Strontium" -> "Strontium, ..."). A word is copied token by
 * token in one of four spellings (as written or lower-cased, with or without a leading space), because BPE splits
 * "Strontium" and " Strontium" differently.
 */
import type { Tokenizer } from "./tokenizer.js";

export interface CopyVariant {
  tokens: readonly number[];
  /** Bit 0: lower-cased; bit 1: with a leading space. */
  kind: number;
  /** Position of the word counted from the end of the message: 1 (last word) .. 4 (fourth or earlier). */
  fromEnd: number;
}

export interface CopySource {
  variants: readonly CopyVariant[];
}

/** Only the last words of a message are copy candidates: keeps the cost per token O(1). */
const MAX_WORDS = 12;
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu;
const EMPTY: CopySource = { variants: [] };

export function copySourceFor(tokenizer: Tokenizer, userText: string | undefined): CopySource {
  if (!userText) return EMPTY;
  const words = (userText.match(WORD) ?? []).slice(-MAX_WORDS);
  const variants: CopyVariant[] = [];
  words.forEach((word, i) => {
    const fromEnd = Math.min(4, words.length - i);
    const lower = word.toLowerCase();
    const spellings = lower === word ? [word] : [word, lower];
    spellings.forEach((spelling, lowered) => {
      variants.push({ tokens: tokenizer.encodeCached(spelling), kind: lowered, fromEnd });
      variants.push({ tokens: tokenizer.encodeCached(` ${spelling}`), kind: lowered | 2, fromEnd });
    });
  });
  return { variants };
}

/**
 * Copies in progress: variant index and how many of its tokens were already produced. Advanced after every token,
 * identically in training and in generation.
 */
export function advanceCopies(source: CopySource, active: readonly number[], token: number): number[] {
  const next: number[] = [];
  for (let i = 0; i < active.length; i += 2) {
    const v = source.variants[active[i]!]!;
    const k = active[i + 1]!;
    if (v.tokens[k] === token && k + 1 < v.tokens.length) next.push(active[i]!, k + 1);
  }
  source.variants.forEach((v, index) => {
    if (v.tokens[0] === token && v.tokens.length > 1) next.push(index, 1);
  });
  return next;
}

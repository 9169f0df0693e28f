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
  /** Index of the word among the copyable words (a bit in Cursor.copied). */
  word: number;
  /** 1 when the word is capitalised in the message (names usually are; function words usually are not). */
  capital: number;
}

/** Only the last words of a message are copy candidates: keeps the cost per token O(1). */
const MAX_WORDS = 8;
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu;

/** The words of a message, in order. */
export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The copy candidates of a user message: each of its last words in each spelling. */
export function copySourceFor(tokenizer: Tokenizer, userText: string | undefined): CopyVariant[] {
  if (!userText) return [];
  const words = wordsOf(userText).slice(-MAX_WORDS);
  const variants: CopyVariant[] = [];
  words.forEach((word, i) => {
    const fromEnd = Math.min(4, words.length - i);
    const capital = /^\p{Lu}/u.test(word) ? 1 : 0;
    const lower = word.toLowerCase();
    const spellings = lower === word ? [word] : [word, lower];
    spellings.forEach((spelling, lowered) => {
      variants.push({ tokens: tokenizer.encodeCached(spelling), kind: lowered, fromEnd, word: i, capital });
      variants.push({ tokens: tokenizer.encodeCached(` ${spelling}`), kind: lowered | 2, fromEnd, word: i, capital });
    });
  });
  return variants;
}

/**
 * Writes into `next` the copies in progress (pairs: variant index, tokens already produced) after `token`, and
 * returns the bit mask of words whose copy `token` completed. Advanced after every token, identically in training
 * and in generation; `next` is reused to spare the garbage collector.
 */
export function advanceCopies(
  variants: readonly CopyVariant[],
  active: readonly number[],
  token: number,
  next: number[],
): number {
  next.length = 0;
  let completed = 0;
  for (let i = 0; i < active.length; i += 2) {
    const v = variants[active[i]!]!;
    const k = active[i + 1]!;
    if (v.tokens[k] !== token) continue;
    if (k + 1 < v.tokens.length) next.push(active[i]!, k + 1);
    else completed |= 1 << v.word;
  }
  variants.forEach((v, index) => {
    if (v.tokens[0] !== token) return;
    if (v.tokens.length > 1) next.push(index, 1);
    else completed |= 1 << v.word;
  });
  return completed;
}

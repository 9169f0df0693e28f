import fc from "fast-check";

/**
 * Strings where tokenization is subtle: whitespace runs next to other characters, newlines, contractions,
 * combining marks, digits, CJK, emoji (surrogate pairs, ZWJ sequences, flags), RTL scripts, special-token
 * spellings and lone surrogates; mixed with arbitrary Unicode. Seeded, so every run draws the same strings.
 */
const PIECES = [
  " ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "\u00a0",
  "\u3000",
  "a",
  "Zebra",
  "ÉTÉ",
  "'s",
  "'LL",
  "n't",
  "\u0301",
  "1",
  "2024",
  "123456",
  "中文",
  "字",
  "😀",
  "👍🏽",
  "👩‍🔬",
  "🇫🇷",
  "/",
  ".",
  "!?",
  "-",
  "<|",
  "|>",
  "<|endoftext|>",
  "ß",
  "İ",
  "ǅ",
  "ʰ",
  "Ω",
  "٣",
  "مرحبا",
  "नमस्ते",
  "привет",
  "こんにちは",
  "\ud800",
  "\udc00",
  "e\u0301",
  "...",
  "https://x.io/a?b=1",
  '{"k":[1,2]}',
  "    def f(x):\n        return x",
];

/** `count` strings drawn with `seed`. */
export function tokenSamples(count: number, seed: number): string[] {
  const mixed = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(""));
  const anyText = fc.string({ unit: "binary", maxLength: 60 });
  return fc.sample(fc.oneof(mixed, mixed, anyText), { numRuns: count, seed });
}

/** The 40,000 strings both equivalence tests use (gpt-tokenizer in tokens.test.ts, tiktoken in its own file). */
export const SAMPLE_SEED = 20261203;
export const SAMPLE_COUNT = 40_000;

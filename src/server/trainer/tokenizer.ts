/**
 * The base model's tokenizer, loaded lazily and synchronously (each encoding takes ~150 ms to load, and the
 * server should not pay for encodings it never uses).
 */
import { createRequire } from "node:module";
import type { Encoding } from "../../core/catalog/models.js";

interface GptEncodingModule {
  encode(text: string): number[];
  decode(tokens: Iterable<number>): string;
  vocabularySize: number;
}

export interface Tokenizer {
  readonly encoding: Encoding;
  /** Number of real tokens; the model adds an end-of-answer id (= vocabSize) and a start sentinel (vocabSize+1). */
  readonly vocabSize: number;
  readonly eos: number;
  readonly bos: number;
  encode(text: string): number[];
  /** Encoding of a short string, memoised (copy candidates re-encode the same words constantly). */
  encodeCached(text: string): readonly number[];
  decode(tokens: readonly number[]): string;
  /** A token that ends a segment: line or sentence punctuation, a dash, or a newline. */
  isBoundary(token: number): boolean;
  /** Whether the decoded text of `token` ends in whitespace (the next word then starts without a space). */
  endsInSpace(token: number): boolean;
}

const require = createRequire(import.meta.url);
const loaded = new Map<Encoding, Tokenizer>();
const BOUNDARY = /^[\s]*[-\u2013\u2014.!?;:]+[\s]*$/;

export function tokenizerFor(encoding: Encoding): Tokenizer {
  const existing = loaded.get(encoding);
  if (existing) return existing;
  const lib = require(`gpt-tokenizer/encoding/${encoding}`) as GptEncodingModule;
  const vocabSize = lib.vocabularySize;
  const wordCache = new Map<string, readonly number[]>();
  /** A test of a token's decoded text, computed on first use per token. */
  const memo = (test: (text: string) => boolean) => {
    const known = new Uint8Array(vocabSize + 2); // 0 = unknown, 1 = no, 2 = yes
    return (t: number) => {
      if (known[t] === 0) known[t] = test(t < vocabSize ? lib.decode([t]) : "") ? 2 : 1;
      return known[t] === 2;
    };
  };
  const tokenizer: Tokenizer = {
    encoding,
    vocabSize,
    eos: vocabSize,
    bos: vocabSize + 1,
    encode: (s) => lib.encode(s),
    encodeCached(s) {
      let hit = wordCache.get(s);
      if (!hit) {
        hit = lib.encode(s);
        if (wordCache.size > 100_000) wordCache.clear();
        wordCache.set(s, hit);
      }
      return hit;
    },
    decode: (tokens) => lib.decode(tokens),
    isBoundary: memo((s) => s.includes("\n") || BOUNDARY.test(s)),
    endsInSpace: memo((s) => /\s$/.test(s)),
  };
  loaded.set(encoding, tokenizer);
  return tokenizer;
}

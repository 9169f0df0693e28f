import { type Encoding, encodingFor, type TrainingMethod } from "../core/catalog/models.js";
import { bpeCounter } from "./tokenizer/bpe-count.js";
import { rankTable } from "./tokenizer/rank-table.js";

/** Counts the tokens of a text in one encoding. */
export interface TokenCounter {
  encoding: Encoding;
  count(text: string): number;
}

const loaded = new Map<Encoding, Promise<TokenCounter>>();

/**
 * The counter for an encoding. Its rank table is built on first use in this thread, or adopted from the thread
 * that built it (see rank-table.ts), so a command that counts no tokens never builds one.
 */
export function loadTokenCounter(encoding: Encoding): Promise<TokenCounter> {
  let counter = loaded.get(encoding);
  if (!counter) {
    counter = Promise.resolve({ encoding, count: chunkedCounter(bpeCounter(encoding, rankTable(encoding))) });
    loaded.set(encoding, counter);
  }
  return counter;
}

/** Chunks at most this long are cached; longer ones (base64, minified code) are rarely repeated. */
const MAX_CACHED_CHUNK = 48;
/** Slots of the chunk cache (a power of two); it starts over when half full, which bounds it to a few MB. */
const CACHE_SLOTS = 1 << 17;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Counting with the tokenizer runs its pre-tokenization regex over every character, which is the bottleneck
 * (about 3 MB/s on multilingual text). But a single space between two non-whitespace characters is always a
 * pre-token boundary in both cl100k_base and o200k_base: no pre-token pattern has a space anywhere but at its
 * start, except whitespace-only ones, which cannot begin at a non-whitespace character. So a text's count is the
 * sum of its space-separated chunks' counts (" word", "word."), and natural text repeats its words: a cache of
 * chunk counts skips the regex for most of them. Equality with the tokenizer is property-tested.
 *
 * The cache is an open-addressing table hashed (FNV-1a) in the same pass that finds the boundaries, and probed
 * by comparing characters in place, so a cached chunk is never copied out of its text: slicing every chunk and
 * hashing it again in a Map cost more than the counting it saved.
 */
function chunkedCounter(countRaw: (text: string) => number): (text: string) => number {
  const keys: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);
  const counts = new Int32Array(CACHE_SLOTS);
  const mask = CACHE_SLOTS - 1;
  let size = 0;
  const countChunk = (text: string, start: number, end: number, hash: number): number => {
    const length = end - start;
    if (length > MAX_CACHED_CHUNK) return countRaw(text.slice(start, end));
    let slot = hash & mask;
    for (;;) {
      const key = keys[slot];
      if (key === undefined) break;
      if (key.length === length && sameChars(key, text, start)) return counts[slot]!;
      slot = (slot + 1) & mask;
    }
    const chunk = start === 0 && end === text.length ? text : text.slice(start, end);
    const n = countRaw(chunk);
    if (size >= CACHE_SLOTS >>> 1) {
      keys.fill(undefined);
      size = 0;
      slot = hash & mask;
    }
    // Flattened, so the table holds its own small string rather than pinning the whole text it came from.
    keys[slot] = chunk.length < 13 ? chunk : flat(chunk);
    counts[slot] = n;
    size++;
    return n;
  };
  return (text) => {
    const length = text.length;
    if (length === 0) return 0;
    let total = 0;
    let start = 0;
    let hash = FNV_OFFSET;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 && i > 0 && i < length - 1 && !isSpace(text.charCodeAt(i - 1)) && !isSpace(text.charCodeAt(i + 1))) {
        total += countChunk(text, start, i, hash);
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    return total + countChunk(text, start, length, hash);
  };
}

/** Whether `key` equals the characters of `text` from `start` (the caller checked the length). */
function sameChars(key: string, text: string, start: number): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** A copy of a short string that does not keep its parent alive (V8 may make a slice a view into it). */
function flat(s: string): string {
  return ` ${s}`.slice(1);
}

/** JavaScript's `\s`: what the tokenizers' patterns mean by whitespace. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The counter for a model's own encoding (`ft:` names resolve by their base model). */
export function tokenCounterForModel(model: string): Promise<TokenCounter> {
  return loadTokenCounter(encodingFor(model));
}

/** Token counts of one example, the cookbook's way. */
export interface ExampleTokens {
  /** Tokens of the whole conversation: 3 per message, the encoded values, 1 per name, 3 for the reply priming. */
  total: number;
  /** Tokens of the assistant content the model is trained on (weight 0 turns excluded). */
  assistant: number;
  /** True when some value was not plain text (tool calls, images, tool definitions) and was counted as its JSON. */
  approximate: boolean;
}

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;

/**
 * Counts an example's tokens. Expects an example that passed the format checks; anything else is counted as well
 * as it can be (non-string values as JSON, flagged approximate), never thrown on.
 * For DPO the input messages and both outputs are counted; the assistant tokens are the preferred output's.
 */
export function countExampleTokens(example: unknown, method: TrainingMethod, counter: TokenCounter): ExampleTokens {
  const acc: ExampleTokens = { total: REPLY_PRIMING, assistant: 0, approximate: false };
  if (typeof example !== "object" || example === null) return acc;
  const record = example as Record<string, unknown>;
  switch (method) {
    case "supervised":
      countMessages(record.messages, counter, acc, true);
      countDefinitions(record, counter, acc);
      break;
    case "dpo": {
      const input = record.input as Record<string, unknown> | undefined;
      if (input && typeof input === "object") {
        countMessages(input.messages, counter, acc, false);
        countDefinitions(input, counter, acc);
      }
      countMessages(record.preferred_output, counter, acc, true);
      countMessages(record.non_preferred_output, counter, acc, false);
      break;
    }
    default: {
      const never: never = method;
      throw new Error(`unknown training method ${String(never)}`);
    }
  }
  return acc;
}

function countMessages(messages: unknown, counter: TokenCounter, acc: ExampleTokens, trainsAssistant: boolean): void {
  if (!Array.isArray(messages)) return;
  for (const message of messages) {
    if (typeof message !== "object" || message === null) continue;
    acc.total += TOKENS_PER_MESSAGE;
    const m = message as Record<string, unknown>;
    for (const key in m) {
      // The weight is a training instruction, not text the model sees.
      if (key === "weight") continue;
      const value = m[key];
      if (value === undefined || value === null) continue;
      const tokens = key === "content" ? contentTokens(value, counter, acc) : valueTokens(value, counter, acc);
      acc.total += tokens;
      if (key === "name") acc.total += TOKENS_PER_NAME;
      if (key === "content" && trainsAssistant && m.role === "assistant" && m.weight !== 0) acc.assistant += tokens;
    }
  }
}

function contentTokens(content: unknown, counter: TokenCounter, acc: ExampleTokens): number {
  if (typeof content === "string") return counter.count(content);
  if (!Array.isArray(content)) return valueTokens(content, counter, acc);
  let tokens = 0;
  for (const part of content) {
    const p = part as { type?: unknown; text?: unknown } | null;
    if (p && p.type === "text" && typeof p.text === "string") tokens += counter.count(p.text);
    else tokens += valueTokens(part, counter, acc);
  }
  return tokens;
}

function valueTokens(value: unknown, counter: TokenCounter, acc: ExampleTokens): number {
  if (typeof value === "string") return counter.count(value);
  acc.approximate = true;
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    // Nesting too deep to stringify (JSON.parse accepts more depth than JSON.stringify's stack allows). The format
    // checks reject such a value anyway; the count is only approximate, so it does not add to it.
    return 0;
  }
  return counter.count(text);
}

/** Tool and function definitions are part of the prompt, but their exact rendering is not public: approximate. */
function countDefinitions(record: Record<string, unknown>, counter: TokenCounter, acc: ExampleTokens): void {
  if (record.tools !== undefined) acc.total += valueTokens(record.tools, counter, acc);
  if (record.functions !== undefined) acc.total += valueTokens(record.functions, counter, acc);
}

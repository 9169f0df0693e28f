/**
 * The model's parameters. Sparse context tables map a hashed context (e.g. the previous two tokens) to the tokens
 * observed next in it, each with a learned weight; a token's generator score is the sum, over the tables whose
 * context contains it, of that table's shared weight (beta) and its own weight. Global weights hold the betas,
 * the copy features and the copy gate. Membership grows when a token is observed in a context; every weight is
 * learned by SGD.
 */
import type { Encoding } from "../../core/catalog/models.js";
import type { CopyVariant } from "./copy.js";
import { bucket, type Cursor } from "./cursor.js";
import { MAX_MATCH, SOURCE_KINDS } from "./context.js";
import { type Key, keyOf } from "./hash.js";
import { type Passage, RELEVANCE_LEVELS } from "./retrieval.js";

export interface Entry {
  toks: number[];
  w: number[];
  /** How often this context was trained on: decides what a bounded snapshot keeps. */
  n: number;
  /** AdaGrad accumulators and the pending batch gradient, parallel to toks (empty until trained on). */
  g2: number[];
  grad: number[];
  touched: boolean;
}

/** Every entry is built here, so all have one shape (V8 keeps the hot loops monomorphic). */
export function newEntry(toks: number[], w: number[], n: number): Entry {
  return { toks, w, n, g2: [], grad: [], touched: false };
}

export interface TableSpec {
  name: string;
  /** Structural tables only predict segment ends and the end of the answer. */
  structural: boolean;
  /**
   * The table whose beta this one shares: a context conditioned on the system message or question frame is as
   * telling as its unconditioned version, and the tie lets pretraining (which has neither) set both.
   */
  beta: number;
}

/** The tables, in the order of their ids (the id is part of every key). */
export const TABLES: readonly TableSpec[] = [
  { name: "prev1", structural: false, beta: 0 },
  { name: "prev2", structural: false, beta: 1 },
  { name: "prev3", structural: false, beta: 2 },
  { name: "segment+prev1", structural: false, beta: 3 },
  { name: "system+prev2", structural: false, beta: 1 },
  { name: "system+segment+prev1", structural: false, beta: 3 },
  { name: "segment", structural: true, beta: 6 },
  { name: "segment+length", structural: true, beta: 7 },
  { name: "system+segment", structural: true, beta: 6 },
  { name: "frame+prev2", structural: false, beta: 1 },
  { name: "frame+segment+prev1", structural: false, beta: 3 },
  { name: "frame+segment", structural: true, beta: 6 },
  { name: "unigram", structural: false, beta: 12 },
];

/**
 * The backoff of last resort: next tokens learned at positions whose previous token was never seen before, so an
 * unseen context still has candidates. Consulted only in that case, which also keeps it off the hot path.
 */
export const BACKOFF_TABLE = 12;

/** Context key of a table that does not apply at this position (no system message, no question frame). */
export const SKIP = -1;

/** Most next-tokens a context keeps; the lowest-weight one is evicted first. Bounds the cost per token. */
export const MAX_FOLLOWERS = 16;

export interface Params {
  encoding: Encoding;
  tables: Map<Key, Entry>[];
  globals: Map<Key, number>;
  /** What the model retrieves from (its corpus and training examples); never mutated, only replaced. */
  passages: readonly Passage[];
}

export function emptyParams(encoding: Encoding): Params {
  return { encoding, tables: TABLES.map(() => new Map()), globals: new Map(), passages: [] };
}

/**
 * Keys of the context features (./context.ts), indexed kind * (MAX_MATCH + 1) + length (1 .. MAX_MATCH): the
 * weight of that kind of source at that match length, and the weight of that match length shared by every kind.
 */
export const CONTEXT_KEYS: readonly Key[] = Array.from({ length: SOURCE_KINDS * (MAX_MATCH + 1) }, (_, i) =>
  keyOf(120, Math.floor(i / (MAX_MATCH + 1)), i % (MAX_MATCH + 1)),
);
export const SHARED_CONTEXT_KEYS: readonly Key[] = CONTEXT_KEYS.map((_, i) => keyOf(121, i % (MAX_MATCH + 1)));
/**
 * An earlier answer's proposal also carries the weight of a fully relevant passage at its match length (SKIP for
 * passages): an answer in the conversation answers a question like this one, as a passage that covers the
 * question does, so it starts as trusted as one, and multi-turn training adjusts its own weights from there.
 */
export const TIED_CONTEXT_KEYS: readonly Key[] = CONTEXT_KEYS.map((_, i) =>
  i < RELEVANCE_LEVELS * (MAX_MATCH + 1)
    ? SKIP
    : CONTEXT_KEYS[(RELEVANCE_LEVELS - 1) * (MAX_MATCH + 1) + (i % (MAX_MATCH + 1))]!,
);

/** The context key of every table at this position, written into `out`. */
export function contextKeys(c: Cursor, out: number[]): void {
  out[0] = keyOf(0, c.p1);
  out[1] = keyOf(1, c.p1, c.p2);
  out[2] = keyOf(2, c.p1, c.p2, c.p3);
  out[3] = keyOf(3, c.seg, c.p1);
  out[4] = c.sys ? keyOf(4, c.sys, c.p1, c.p2) : SKIP;
  out[5] = c.sys ? keyOf(5, c.sys, c.seg, c.p1) : SKIP;
  out[6] = keyOf(6, c.seg);
  out[7] = keyOf(7, c.seg, bucket(c.sinceBoundary));
  out[8] = c.sys ? keyOf(8, c.sys, c.seg) : SKIP;
  out[9] = c.frame ? keyOf(9, c.frame, c.p1, c.p2) : SKIP;
  out[10] = c.frame ? keyOf(10, c.frame, c.seg, c.p1) : SKIP;
  out[11] = c.frame ? keyOf(11, c.frame, c.seg) : SKIP;
  out[BACKOFF_TABLE] = keyOf(BACKOFF_TABLE);
}

const BETA_KEYS: readonly Key[] = TABLES.map((spec) => keyOf(100, spec.beta));
export const betaKey = (table: number): Key => BETA_KEYS[table]!;

/**
 * Copy features come in a few combinations ("combos"), so a position computes each combo's keys once, however many
 * words the message has. Starting a word: its spelling kind, position from the end, whether it is capitalised and
 * whether it was already copied (combos 0-127). Continuing a word: its kind and how many tokens are done
 * (combos 128-143).
 */
export const COPY_COMBOS = 144;
const CONTINUE = 128;

export function copyStartCombo(c: Cursor, v: CopyVariant): number {
  return v.kind | (v.fromEnd << 2) | (((c.copied >> v.word) & 1) << 5) | (v.capital << 6);
}

export function copyContinueCombo(v: CopyVariant, done: number): number {
  return CONTINUE + v.kind * 4 + Math.min(done, 3);
}

/** The two feature keys of a copy combo at this position. */
export function copyComboKeys(c: Cursor, combo: number, out: number[]): void {
  // The keys depend on the cursor only through (position bucket, at word start): memoised per combination.
  const slot = 2 * ((combo * 8 + bucket(c.pos)) * 2 + (c.atWordStart ? 1 : 0));
  if (comboKeyCache[slot] === 0) {
    if (combo >= CONTINUE) {
      comboKeyCache[slot] = keyOf(103, (combo - CONTINUE) & 3);
      comboKeyCache[slot + 1] = keyOf(104, (combo - CONTINUE) >> 2);
    } else {
      const kind = combo & 3;
      const fromEnd = (combo >> 2) & 7;
      const again = (combo >> 5) & 1;
      const capital = combo >> 6;
      const start = c.atWordStart ? 1 : 0;
      comboKeyCache[slot] = keyOf(101, kind, fromEnd, bucket(c.pos), start, again + 2 * capital);
      comboKeyCache[slot + 1] = keyOf(102, kind >> 1, bucket(c.pos), start, again, capital);
    }
  }
  out[0] = comboKeyCache[slot]!;
  out[1] = comboKeyCache[slot + 1]!;
}

/** 0 marks "not computed yet" (a real key of 0 is merely recomputed each time). */
const comboKeyCache = new Float64Array(2 * COPY_COMBOS * 8 * 2);

/**
 * Feature keys of the copy gate: the mixture weight of the copy distribution depends on the position in the
 * answer, whether a copy is under way or a word was already copied, and the previous token.
 */
export function gateKeys(c: Cursor, out: number[]): void {
  out[0] = keyOf(110, bucket(c.pos), c.atWordStart ? 1 : 0);
  out[1] = keyOf(111, c.active.length > 0 ? 1 : 0, c.copied !== 0 ? 1 : 0);
  out[2] = keyOf(112, c.p1);
}

/** A deep copy, so training never mutates the snapshot it started from. */
export function cloneParams(p: Params): Params {
  return {
    encoding: p.encoding,
    tables: p.tables.map((t) => new Map([...t].map(([k, e]) => [k, newEntry([...e.toks], [...e.w], e.n)] as const))),
    globals: new Map(p.globals),
    passages: p.passages,
  };
}

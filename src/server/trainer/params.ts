/**
 * The model's parameters. Sparse context tables map a hashed context (e.g. the previous two tokens) to the tokens
 * observed next in it, each with a learned weight; a token's generator score is the sum, over the tables whose
 * context contains it, of that table's shared weight (beta) and its own weight. Global weights hold the betas,
 * the copy features and the copy gate. Membership grows when a token is observed in a context; every weight is
 * learned by SGD.
 */
import type { Encoding } from "../../data/models.js";
import type { CopyVariant } from "./copy.js";
import { bucket, type Cursor } from "./cursor.js";
import { type Key, keyOf } from "./hash.js";

export interface Entry {
  toks: number[];
  w: number[];
  /** How often this context was trained on: decides what a bounded snapshot keeps. */
  n: number;
  /** AdaGrad accumulators and the pending batch gradient, only while training. */
  g2?: number[];
  grad?: number[];
  touched?: boolean;
}

export interface TableSpec {
  name: string;
  /** Structural tables only predict segment ends and the end of the answer. */
  structural: boolean;
}

/** The tables, in the order of their ids (the id is part of every key). */
export const TABLES: readonly TableSpec[] = [
  { name: "prev1", structural: false },
  { name: "prev2", structural: false },
  { name: "prev3", structural: false },
  { name: "segment+prev1", structural: false },
  { name: "system+prev2", structural: false },
  { name: "system+segment+prev1", structural: false },
  { name: "segment", structural: true },
  { name: "segment+length", structural: true },
  { name: "system+segment", structural: true },
  { name: "frame+prev2", structural: false },
  { name: "frame+segment+prev1", structural: false },
  { name: "frame+segment", structural: true },
  { name: "unigram", structural: false },
];

/** Context key of a table that does not apply at this position (no system message, no question frame). */
export const SKIP = -1;

/** Most next-tokens a context keeps; the lowest-weight one is evicted first. Bounds the cost per token. */
export const MAX_FOLLOWERS = 48;

export interface Params {
  encoding: Encoding;
  tables: Map<Key, Entry>[];
  globals: Map<Key, number>;
}

export function emptyParams(encoding: Encoding): Params {
  return { encoding, tables: TABLES.map(() => new Map()), globals: new Map() };
}

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
  // The backoff of last resort: the most useful next tokens anywhere, so an unseen context still has candidates.
  out[12] = keyOf(12);
}

export const betaKey = (table: number): Key => keyOf(100, table);

/** Feature keys of a copy candidate that starts a word. */
export function copyStartKeys(c: Cursor, v: CopyVariant, out: number[]): void {
  const start = c.atWordStart ? 1 : 0;
  const again = (c.copied >> v.word) & 1;
  out[0] = keyOf(101, v.kind, v.fromEnd, bucket(c.pos), start, again);
  out[1] = keyOf(102, v.kind >> 1, bucket(c.pos), start, again);
}

/** Feature keys of a copy candidate that continues a word already being copied. */
export function copyContinueKeys(kind: number, done: number, out: number[]): void {
  out[0] = keyOf(103, Math.min(done, 3));
  out[1] = keyOf(104, kind);
}

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
    tables: p.tables.map(
      (t) => new Map([...t].map(([k, e]) => [k, { toks: [...e.toks], w: [...e.w], n: e.n }] as const)),
    ),
    globals: new Map(p.globals),
  };
}

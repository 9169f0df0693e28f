/**
 * One position of the log-linear model: gathers the candidate next tokens (members of the current contexts,
 * copy candidates, end-of-answer), scores them and normalises over the WHOLE vocabulary. Every token outside the
 * candidate set has score 0, so the exact softmax costs O(candidates): Z = sum(exp(s_c)) + (V + 1 - |C|) * 1.
 */
import { copyContinueKeys, copyStartKeys, contextKeys, type Entry, type Params, TABLES, betaKey } from "./params.js";
import type { Cursor } from "./cursor.js";
import type { Tokenizer } from "./tokenizer.js";

const MAX_CANDIDATES = 4096;

export class Scorer {
  readonly tokenizer: Tokenizer;
  /** Candidate tokens and their scores for the last scored position. */
  readonly cand = new Int32Array(MAX_CANDIDATES);
  readonly score = new Float64Array(MAX_CANDIDATES);
  /** Probability of each candidate under the full softmax. */
  readonly p = new Float64Array(MAX_CANDIDATES);
  count = 0;
  /** log Z over the full vocabulary plus end-of-answer. */
  logZ = 0;
  readonly keys: number[] = new Array(TABLES.length).fill(0);
  readonly entries: (Entry | undefined)[] = new Array(TABLES.length).fill(undefined);
  /** Copy candidates: token and two feature keys each. */
  copyTok: number[] = [];
  copyKeys: number[] = [];
  private readonly slot: Int32Array;
  private readonly stamp: Int32Array;
  private generation = 0;
  private readonly scratch = [0, 0];

  constructor(tokenizer: Tokenizer) {
    this.tokenizer = tokenizer;
    this.slot = new Int32Array(tokenizer.vocabSize + 2);
    this.stamp = new Int32Array(tokenizer.vocabSize + 2);
  }

  /** Index of `token` among the candidates, or -1. */
  indexOf(token: number): number {
    return this.stamp[token] === this.generation ? this.slot[token]! : -1;
  }

  private add(token: number, s: number): void {
    let i = this.indexOf(token);
    if (i < 0) {
      if (this.count >= MAX_CANDIDATES) return;
      i = this.count++;
      this.stamp[token] = this.generation;
      this.slot[token] = i;
      this.cand[i] = token;
      this.score[i] = 0;
    }
    this.score[i]! += s;
  }

  /** Scores every candidate at cursor `c` under `params`. */
  run(params: Params, c: Cursor): void {
    this.generation++;
    this.count = 0;
    const g = params.globals;
    contextKeys(c, this.keys);
    for (let t = 0; t < TABLES.length; t++) {
      const e = params.tables[t]!.get(this.keys[t]!);
      this.entries[t] = e;
      if (!e) continue;
      const beta = g.get(betaKey(t)) ?? 0;
      for (let i = 0; i < e.toks.length; i++) this.add(e.toks[i]!, beta + e.w[i]!);
    }
    this.add(this.tokenizer.eos, 0);
    this.copyTok.length = 0;
    this.copyKeys.length = 0;
    const k = this.scratch;
    c.copy.variants.forEach((v) => {
      copyStartKeys(c, v.kind, v.fromEnd, k);
      this.pushCopy(v.tokens[0]!, k, g);
    });
    for (let i = 0; i < c.active.length; i += 2) {
      const v = c.copy.variants[c.active[i]!]!;
      const done = c.active[i + 1]!;
      copyContinueKeys(v.kind, done, k);
      this.pushCopy(v.tokens[done]!, k, g);
    }
    let max = 0;
    for (let i = 0; i < this.count; i++) if (this.score[i]! > max) max = this.score[i]!;
    let z = (this.tokenizer.vocabSize + 1 - this.count) * Math.exp(-max);
    for (let i = 0; i < this.count; i++) {
      this.p[i] = Math.exp(this.score[i]! - max);
      z += this.p[i]!;
    }
    for (let i = 0; i < this.count; i++) this.p[i]! /= z;
    this.logZ = max + Math.log(z);
  }

  private pushCopy(token: number, k: number[], g: Map<number, number>): void {
    this.copyTok.push(token);
    this.copyKeys.push(k[0]!, k[1]!);
    this.add(token, (g.get(k[0]!) ?? 0) + (g.get(k[1]!) ?? 0));
  }

  /** Score of any token (0 outside the candidate set). */
  scoreOf(token: number): number {
    const i = this.indexOf(token);
    return i < 0 ? 0 : this.score[i]!;
  }

  /** Probability of `token` under the full softmax. */
  prob(token: number): number {
    const i = this.indexOf(token);
    return i < 0 ? Math.exp(-this.logZ) : this.p[i]!;
  }

  /** Whether `token` is the model's single most likely next token (ties and non-candidates count as wrong). */
  isArgmax(token: number): boolean {
    const i = this.indexOf(token);
    if (i < 0) return false;
    const s = this.score[i]!;
    if (s <= 0 && this.tokenizer.vocabSize + 1 > this.count) return false;
    for (let j = 0; j < this.count; j++) if (j !== i && this.score[j]! >= s) return false;
    return true;
  }
}

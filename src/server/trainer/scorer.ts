/**
 * One position of the model: a mixture of a generator and a copy distribution,
 *   p(y) = (1 - gate) * p_gen(y) + gate * p_copy(y).
 * p_gen is a log-linear softmax over the WHOLE vocabulary plus end-of-answer; every token outside the candidate
 * set (members of the current contexts) scores 0, so it costs O(candidates): Z = sum(exp(s_c)) + (V + 1 - |C|).
 * p_copy is a softmax over the copy candidates (words of the user message); the gate is a logistic function of
 * a few context features. This is a pointer-generator: a word never seen in training can still be produced.
 * The generator's scores also include the context features (./context.ts): tokens that follow the answer's last
 * tokens somewhere in the earlier turns or the retrieved passage.
 */
import { type ContextSource, MAX_MATCH, SOURCE_KINDS } from "./context.js";
import type { Cursor } from "./cursor.js";
import {
  BACKOFF_TABLE,
  betaKey,
  CONTEXT_KEYS,
  COPY_COMBOS,
  contextKeys,
  copyComboKeys,
  SHARED_CONTEXT_KEYS,
  TIED_CONTEXT_KEYS,
  copyContinueCombo,
  copyStartCombo,
  type Entry,
  gateKeys,
  type Params,
  SKIP,
  TABLES,
} from "./params.js";
import type { Tokenizer } from "./tokenizer.js";

const MAX_CANDIDATES = 4096;

export class Scorer {
  /** Candidate tokens of the last scored position, their generator scores and probabilities. */
  readonly cand = new Int32Array(MAX_CANDIDATES);
  readonly score = new Float64Array(MAX_CANDIDATES);
  readonly pGen = new Float64Array(MAX_CANDIDATES);
  /** Copy probability mass of each candidate (summed over the copy entries that propose it). */
  readonly pCopy = new Float64Array(MAX_CANDIDATES);
  count = 0;
  /** log Z of the generator over the full vocabulary plus end-of-answer. */
  logZ = 0;
  /** Mixture weight of the copy distribution (0 when there is nothing to copy). */
  gate = 0;
  readonly gateKeys = [0, 0, 0];
  readonly keys: number[] = new Array(TABLES.length).fill(0);
  readonly entries: (Entry | undefined)[] = new Array(TABLES.length).fill(undefined);
  /** Candidate slot of every member of every consulted entry (from memberStart[table]), for the gradient. */
  readonly memberSlot = new Int32Array(TABLES.length * 256);
  readonly memberStart = new Int32Array(TABLES.length);
  /** Copy entries: proposed token, its feature combo, its probability within p_copy. */
  copyTok: number[] = [];
  copyCombo: number[] = [];
  copyP: number[] = [];
  /** The combos used at this position and their two feature keys each (indexed 2 * combo). */
  combos: number[] = [];
  readonly comboKeys = new Float64Array(2 * COPY_COMBOS);
  private readonly comboScore = new Float64Array(COPY_COMBOS);
  private readonly comboExp = new Float64Array(COPY_COMBOS);
  private readonly comboStamp = new Int32Array(COPY_COMBOS);
  private comboGeneration = 0;
  /** Context proposals: candidate slot and feature index (into CONTEXT_KEYS), one per (token, kind of source). */
  readonly ctxSlot = new Int32Array(64);
  readonly ctxFeature = new Int32Array(64);
  ctxCount = 0;
  private readonly ctxStamp = new Int32Array(MAX_CANDIDATES * SOURCE_KINDS);
  private readonly ctxAt = new Int32Array(MAX_CANDIDATES * SOURCE_KINDS);
  private readonly slot: Int32Array;
  private readonly stamp: Int32Array;
  private generation = 0;
  private readonly scratch = [0, 0];

  constructor(readonly tokenizer: Tokenizer) {
    this.slot = new Int32Array(tokenizer.vocabSize + 2);
    this.stamp = new Int32Array(tokenizer.vocabSize + 2);
  }

  /** Index of `token` among the candidates, or -1. */
  indexOf(token: number): number {
    return this.stamp[token] === this.generation ? this.slot[token]! : -1;
  }

  private slotFor(token: number): number {
    let i = this.indexOf(token);
    if (i < 0 && this.count < MAX_CANDIDATES) {
      i = this.count++;
      this.stamp[token] = this.generation;
      this.slot[token] = i;
      this.cand[i] = token;
      this.score[i] = 0;
      this.pCopy[i] = 0;
    }
    return i;
  }

  /** Scores every candidate at cursor `c` under `params`. */
  run(params: Params, c: Cursor): void {
    this.generation++;
    this.count = 0;
    const g = params.globals;
    let members = 0;
    contextKeys(c, this.keys);
    if (params.tables[0]!.has(this.keys[0]!)) this.keys[BACKOFF_TABLE] = SKIP;
    for (let t = 0; t < TABLES.length; t++) {
      const e = this.keys[t] === SKIP ? undefined : params.tables[t]!.get(this.keys[t]!);
      this.entries[t] = e;
      if (!e) continue;
      const beta = g.get(betaKey(t)) ?? 0;
      this.memberStart[t] = members;
      for (let i = 0; i < e.toks.length; i++) {
        const s = this.slotFor(e.toks[i]!);
        this.memberSlot[members++] = s;
        if (s >= 0) this.score[s]! += beta + e.w[i]!;
      }
    }
    this.scoreContext(c, g);
    this.slotFor(this.tokenizer.eos);
    this.scoreCopies(c, g);
    let max = 0;
    for (let i = 0; i < this.count; i++) if (this.score[i]! > max) max = this.score[i]!;
    let z = (this.tokenizer.vocabSize + 1 - this.count) * Math.exp(-max);
    for (let i = 0; i < this.count; i++) {
      this.pGen[i] = Math.exp(this.score[i]! - max);
      z += this.pGen[i]!;
    }
    for (let i = 0; i < this.count; i++) this.pGen[i]! /= z;
    this.logZ = max + Math.log(z);
  }

  /**
   * Proposals from the conversation and passage: each occurrence of the previous token there proposes the token
   * that followed it, scored by its kind of source and how many of the last three tokens match (the longest match
   * per token and kind counts once).
   */
  private scoreContext(c: Cursor, g: Map<number, number>): void {
    this.ctxCount = 0;
    const occurrences = c.ctx.at.get(c.p1);
    if (!occurrences) return;
    for (let i = 0; i < occurrences.length; i += 2) {
      const source: ContextSource = c.ctx.sources[occurrences[i]!]!;
      const pos = occurrences[i + 1]!;
      const t = source.tokens;
      let len = 1;
      if (pos >= 1 && t[pos - 1] === c.p2) len = pos >= 2 && t[pos - 2] === c.p3 ? 3 : 2;
      const s = this.slotFor(t[pos + 1]!);
      if (s < 0) continue;
      const feature = source.kind * (MAX_MATCH + 1) + Math.min(len, MAX_MATCH);
      const d = s * SOURCE_KINDS + source.kind;
      if (this.ctxStamp[d] === this.generation) {
        const j = this.ctxAt[d]!;
        if (feature > this.ctxFeature[j]!) this.ctxFeature[j] = feature;
        continue;
      }
      this.ctxStamp[d] = this.generation;
      this.ctxAt[d] = this.ctxCount;
      this.ctxSlot[this.ctxCount] = s;
      this.ctxFeature[this.ctxCount] = feature;
      this.ctxCount++;
    }
    for (let j = 0; j < this.ctxCount; j++) {
      const f = this.ctxFeature[j]!;
      const tied = TIED_CONTEXT_KEYS[f]!;
      this.score[this.ctxSlot[j]!]! +=
        (g.get(CONTEXT_KEYS[f]!) ?? 0) +
        (g.get(SHARED_CONTEXT_KEYS[f]!) ?? 0) +
        (tied === SKIP ? 0 : (g.get(tied) ?? 0));
    }
  }

  /** The copy entries, their softmax, and the gate. */
  private scoreCopies(c: Cursor, g: Map<number, number>): void {
    this.copyTok.length = 0;
    this.copyCombo.length = 0;
    this.copyP.length = 0;
    this.combos.length = 0;
    this.comboGeneration++;
    for (const v of c.copy) this.pushCopy(c, v.tokens[0]!, copyStartCombo(c, v), g);
    for (let i = 0; i < c.active.length; i += 2) {
      const v = c.copy[c.active[i]!]!;
      const done = c.active[i + 1]!;
      this.pushCopy(c, v.tokens[done]!, copyContinueCombo(v, done), g);
    }
    if (this.copyTok.length === 0) {
      this.gate = 0;
      return;
    }
    // Entries of one combo share a score, so exp is taken once per combo.
    let max = -Infinity;
    for (const combo of this.combos) if (this.comboScore[combo]! > max) max = this.comboScore[combo]!;
    for (const combo of this.combos) this.comboExp[combo] = Math.exp(this.comboScore[combo]! - max);
    let z = 0;
    for (let j = 0; j < this.copyCombo.length; j++) z += this.comboExp[this.copyCombo[j]!]!;
    for (let j = 0; j < this.copyCombo.length; j++) {
      this.copyP[j] = this.comboExp[this.copyCombo[j]!]! / z;
      const s = this.slotFor(this.copyTok[j]!);
      if (s >= 0) this.pCopy[s]! += this.copyP[j]!;
    }
    gateKeys(c, this.gateKeys);
    let logit = 0;
    for (const key of this.gateKeys) logit += g.get(key) ?? 0;
    this.gate = 1 / (1 + Math.exp(-logit));
  }

  /** Records a copy entry (its probability is filled in by the softmax). */
  private pushCopy(c: Cursor, token: number, combo: number, g: Map<number, number>): void {
    if (this.comboStamp[combo] !== this.comboGeneration) {
      this.comboStamp[combo] = this.comboGeneration;
      copyComboKeys(c, combo, this.scratch);
      this.comboKeys[2 * combo] = this.scratch[0]!;
      this.comboKeys[2 * combo + 1] = this.scratch[1]!;
      this.comboScore[combo] = (g.get(this.scratch[0]!) ?? 0) + (g.get(this.scratch[1]!) ?? 0);
      this.combos.push(combo);
    }
    this.copyTok.push(token);
    this.copyCombo.push(combo);
    this.copyP.push(0);
  }

  /** Generator probability of any token (tokens outside the candidate set share the leftover mass). */
  genProb(token: number): number {
    const i = this.indexOf(token);
    return i < 0 ? Math.exp(-this.logZ) : this.pGen[i]!;
  }

  /** Copy probability of any token. */
  copyProb(token: number): number {
    const i = this.indexOf(token);
    return i < 0 ? 0 : this.pCopy[i]!;
  }

  /** Mixture probability of candidate index i. */
  probAt(i: number): number {
    return (1 - this.gate) * this.pGen[i]! + this.gate * this.pCopy[i]!;
  }

  /** Probability of any token under the mixture. */
  prob(token: number): number {
    return (1 - this.gate) * this.genProb(token) + this.gate * this.copyProb(token);
  }

  /** Whether `token` is the single most likely next token (ties and non-candidates count as wrong). */
  isArgmax(token: number): boolean {
    const i = this.indexOf(token);
    if (i < 0) return false;
    const p = this.probAt(i);
    if (p <= (1 - this.gate) * Math.exp(-this.logZ) && this.tokenizer.vocabSize + 1 > this.count) return false;
    for (let j = 0; j < this.count; j++) if (j !== i && this.probAt(j) >= p) return false;
    return true;
  }
}

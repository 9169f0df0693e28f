/**
 * A batch's gradient of the summed token negative log-likelihood, gathered with the parameters frozen and applied
 * once at the end of the batch (so each reported loss is measured before the batch's own update). The update is
 * SGD with AdaGrad per-weight step sizes: lr / sqrt(sum of squared past gradients), which keeps the shared weights
 * (betas, copy features) stable while rare n-gram weights still move fast. Optimizer state is per run: a
 * fine-tuning job starts with fresh accumulators, like a new optimizer.
 */
import {
  betaKey,
  CONTEXT_KEYS,
  COPY_COMBOS,
  type Entry,
  MAX_FOLLOWERS,
  newEntry,
  type Params,
  SHARED_CONTEXT_KEYS,
  TIED_CONTEXT_KEYS,
  SKIP,
  TABLES,
} from "./params.js";
import type { Scorer } from "./scorer.js";
import type { Key } from "./hash.js";

/**
 * AdaGrad's starting accumulator: with it a small gradient makes a small step (plain SGD), and only weights that
 * keep receiving large gradients get their steps shrunk.
 */
export const INITIAL_ACCUMULATOR = 1;

export class BatchGradient {
  private touched: Entry[] = [];
  private readonly globals = new Map<Key, number>();
  /** Pending new memberships, four numbers each: table, context key, token, gradient. */
  private readonly pending: number[] = [];
  private readonly comboGrad = new Float64Array(COPY_COMBOS);
  /** The betas get a gradient at nearly every position: summed here rather than in the globals map. */
  private readonly betaGrad = new Float64Array(TABLES.length);
  /** Likewise the context features. */
  private readonly ctxGrad = new Float64Array(CONTEXT_KEYS.length);

  /**
   * Adds the gradient of -log p(y) at the position the scorer just scored, times `scale`. With the mixture
   * p = (1 - gate) p_gen + gate p_copy, each part learns in proportion to its responsibility for y (its share of p),
   * so the generator does not have to memorise words the copy component already explains.
   */
  accumulate(scorer: Scorer, y: number, scale: number): void {
    const tok = scorer.tokenizer;
    const p = Math.max(scorer.prob(y), 1e-300);
    const pGenY = scorer.genProb(y);
    const pCopyY = scorer.copyProb(y);
    const rGen = ((1 - scorer.gate) * pGenY) / p;
    const structuralOk = y === tok.eos || tok.isBoundary(y);
    for (let t = 0; t < TABLES.length; t++) {
      const e = scorer.entries[t];
      let found = false;
      if (e) {
        e.n++;
        this.touch(e);
        let betaGrad = 0;
        const start = scorer.memberStart[t]!;
        for (let i = 0; i < e.toks.length; i++) {
          const c = e.toks[i]!;
          const slot = scorer.memberSlot[start + i]!;
          const gi = rGen * ((slot >= 0 ? scorer.pGen[slot]! : 0) - (c === y ? 1 : 0));
          if (c === y) found = true;
          e.grad[i]! += gi * scale;
          betaGrad += gi;
        }
        this.betaGrad[t]! += betaGrad * scale;
      }
      // A token that is not a follower yet is only added to push its probability up. Pushed down (DPO's rejected
      // answer, scale < 0) it stays out: it is already at the floor, and membership would make it a candidate.
      if (!found && scale > 0 && scorer.keys[t] !== SKIP && (!TABLES[t]!.structural || structuralOk)) {
        this.pending.push(t, scorer.keys[t]!, y, rGen * (pGenY - 1) * scale);
      }
    }
    for (let j = 0; j < scorer.ctxCount; j++) {
      const slot = scorer.ctxSlot[j]!;
      const gi = rGen * (scorer.pGen[slot]! - (scorer.cand[slot] === y ? 1 : 0));
      this.ctxGrad[scorer.ctxFeature[j]!]! += gi * scale;
    }
    if (scorer.gate === 0) return;
    // d(-log p)/d(copy score j) = (gate / p) * pCopy_j * (pCopy(y) - [token_j = y])
    const copyFactor = (scorer.gate / p) * scale;
    for (const combo of scorer.combos) this.comboGrad[combo] = 0;
    for (let j = 0; j < scorer.copyTok.length; j++) {
      this.comboGrad[scorer.copyCombo[j]!]! +=
        copyFactor * scorer.copyP[j]! * (pCopyY - (scorer.copyTok[j] === y ? 1 : 0));
    }
    for (const combo of scorer.combos) {
      this.addGlobal(scorer.comboKeys[2 * combo]!, this.comboGrad[combo]!);
      this.addGlobal(scorer.comboKeys[2 * combo + 1]!, this.comboGrad[combo]!);
    }
    // d(-log p)/d(gate logit) = -gate (1 - gate) (pCopy(y) - pGen(y)) / p
    const gateGrad = ((-scorer.gate * (1 - scorer.gate) * (pCopyY - pGenY)) / p) * scale;
    for (const k of scorer.gateKeys) this.addGlobal(k, gateGrad);
  }

  /** Applies the batch: new memberships first, then one AdaGrad step on every weight with a gradient. */
  apply(params: Params, lr: number, globalG2: Map<Key, number>): void {
    const p = this.pending;
    for (let i = 0; i < p.length; i += 4) {
      this.insert(params, p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!);
    }
    p.length = 0;
    for (const e of this.touched) {
      for (let i = 0; i < e.toks.length; i++) {
        const gi = e.grad[i]!;
        if (gi === 0) continue;
        e.g2[i]! += gi * gi;
        e.w[i]! -= (lr * gi) / Math.sqrt(INITIAL_ACCUMULATOR + e.g2[i]!);
        e.grad[i] = 0;
      }
      e.touched = false;
    }
    this.betaGrad.forEach((gi, t) => {
      if (gi !== 0) this.addGlobal(betaKey(t), gi);
    });
    this.betaGrad.fill(0);
    this.ctxGrad.forEach((gi, f) => {
      if (gi === 0) return;
      this.addGlobal(CONTEXT_KEYS[f]!, gi);
      this.addGlobal(SHARED_CONTEXT_KEYS[f]!, gi);
      if (TIED_CONTEXT_KEYS[f] !== SKIP) this.addGlobal(TIED_CONTEXT_KEYS[f]!, gi);
    });
    this.ctxGrad.fill(0);
    for (const [k, gi] of this.globals) {
      if (gi === 0) continue;
      const g2 = (globalG2.get(k) ?? 0) + gi * gi;
      globalG2.set(k, g2);
      params.globals.set(k, (params.globals.get(k) ?? 0) - (lr * gi) / Math.sqrt(INITIAL_ACCUMULATOR + g2));
    }
    this.touched = [];
    this.globals.clear();
  }

  private insert(params: Params, tableId: number, key: Key, token: number, grad: number): void {
    const table = params.tables[tableId]!;
    let e = table.get(key);
    if (!e) {
      e = newEntry([], [], 1);
      table.set(key, e);
    }
    this.touch(e);
    let i = e.toks.indexOf(token);
    if (i < 0) {
      if (e.toks.length < MAX_FOLLOWERS) {
        i = e.toks.length;
        e.toks.push(token);
        e.w.push(0);
        e.g2.push(0);
        e.grad.push(0);
      } else {
        i = 0;
        for (let j = 1; j < e.w.length; j++) if (e.w[j]! < e.w[i]!) i = j;
        e.toks[i] = token;
        e.w[i] = 0;
        e.g2[i] = 0;
        e.grad[i] = 0;
      }
    }
    e.grad[i]! += grad;
  }

  /** Marks `e` for the next apply, sizing its optimizer state to its followers first (empty until trained on). */
  private touch(e: Entry): void {
    if (e.grad.length !== e.toks.length) {
      e.g2 = e.toks.map((_, i) => e.g2[i] ?? 0);
      e.grad = e.toks.map((_, i) => e.grad[i] ?? 0);
    }
    if (!e.touched) {
      e.touched = true;
      this.touched.push(e);
    }
  }

  private addGlobal(k: Key, g: number): void {
    this.globals.set(k, (this.globals.get(k) ?? 0) + g);
  }
}

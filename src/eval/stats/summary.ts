import type { Gate } from "../../core/pipeline.generated.js";
import type { PriceOverrides } from "../../core/catalog/prices.js";
import { decideGate, findCandidate } from "../gate.js";
import type {
  CandidateSummary,
  EvalCandidate,
  EvalCell,
  EvalPrompt,
  EvalSummary,
  PairedComparison,
  RateWithInterval,
} from "../types.js";
import { candidatePrice, type RequestMode } from "./cost.js";

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), the interval recommended over the normal
 * ("Wald") one for small n and rates near 0 or 1:
 *
 *   centre = (p̂ + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
 *
 * with z = 1.959964 for 95%. `n` may be fractional (an effective sample size for weighted rates).
 */
export function wilsonInterval(rate: number, n: number): { low: number; high: number } {
  const z = 1.959963984540054;
  if (n <= 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Exact McNemar test for paired binary outcomes: of the n = b + c discordant pairs (one candidate passed, the other
 * failed), under the null hypothesis each is equally likely to go either way, so b ~ Binomial(n, ½). The two-sided
 * p-value is
 *
 *   p = min(1, 2 · Σ_{i=0}^{min(b,c)} C(n, i) / 2ⁿ)
 *
 * and p = 1 when there are no discordant pairs.
 */
export function exactMcNemar(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum the binomial probabilities in log space so that large n does not overflow.
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * The p-th percentile (0-100) by linear interpolation between closest ranks (the "R-7" / NumPy default method):
 * rank h = (n−1)·p/100, value = x⌊h⌋ + (h−⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). Zero for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** One graded observation: whether it passed and its prompt's weight. */
export interface WeightedOutcome {
  pass: boolean;
  weight: number;
}

/**
 * Weighted pass rate Σw·pass / Σw with a 95% Wilson interval. The interval uses Kish's effective sample size
 * n_eff = (Σw)² / Σw², which is the plain count when all weights are equal and shrinks when a few prompts dominate.
 */
export function weightedRate(outcomes: readonly WeightedOutcome[]): RateWithInterval {
  const sumW = outcomes.reduce((s, o) => s + o.weight, 0);
  const sumW2 = outcomes.reduce((s, o) => s + o.weight * o.weight, 0);
  const passW = outcomes.reduce((s, o) => s + (o.pass ? o.weight : 0), 0);
  const rate = sumW > 0 ? passW / sumW : 0;
  const effectiveN = sumW2 > 0 ? (sumW * sumW) / sumW2 : 0;
  const { low, high } = wilsonInterval(rate, effectiveN);
  return { rate, low, high, n: outcomes.length, effective_n: effectiveN };
}

/** Cells of one candidate keyed by prompt id. */
function cellsOf(cells: readonly EvalCell[], label: string): Map<string, EvalCell> {
  return new Map(cells.filter((c) => c.candidate === label).map((c) => [c.prompt, c]));
}

export function summariseCandidate(
  candidate: EvalCandidate,
  prompts: readonly EvalPrompt[],
  cells: readonly EvalCell[],
  prices?: PriceOverrides,
  mode: RequestMode = "sync",
): CandidateSummary {
  const mine = cellsOf(cells, candidate.label);
  const graded = prompts.filter((p) => p.graders.length > 0);
  const outcomes = graded.map((p) => ({ pass: mine.get(p.id)?.pass ?? false, weight: p.weight }));

  // Per grader template: over the prompts that use it, weighted like the overall rate.
  const groups = new Map<string, WeightedOutcome[]>();
  for (const p of graded) {
    const cell = mine.get(p.id);
    p.graders.forEach((g, i) => {
      const pass = cell?.grades[i]?.pass ?? false;
      const list = groups.get(g.group) ?? [];
      list.push({ pass, weight: p.weight });
      groups.set(g.group, list);
    });
  }
  const byGrader = [...groups].map(([grader, list]) => ({ grader, rate: weightedRate(list).rate, n: list.length }));

  const answered = [...mine.values()].filter((c) => c.output !== undefined);
  const promptTokens = mean(answered.map((c) => c.usage?.prompt_tokens ?? 0));
  const completionTokens = mean(answered.map((c) => c.usage?.completion_tokens ?? 0));
  const latencies = answered.flatMap((c) => (c.latency_ms === undefined ? [] : [c.latency_ms]));
  const summary: CandidateSummary = {
    label: candidate.label,
    model: candidate.model,
    kind: candidate.kind,
    pass: weightedRate(outcomes),
    by_grader: byGrader,
    mean_prompt_tokens: promptTokens,
    mean_completion_tokens: completionTokens,
    latency_p50_ms: latencies.length > 0 ? percentile(latencies, 50) : null,
    latency_p95_ms: latencies.length > 0 ? percentile(latencies, 95) : null,
    requests: mine.size,
    errors: [...mine.values()].filter((c) => c.error !== undefined).length,
  };
  const price = candidatePrice(candidate, prices, mode);
  if (price) {
    summary.price = price;
    // An estimate at the list price, not a bill; prices are per million tokens.
    if (answered.length > 0) {
      summary.cost_per_1k_usd = (1000 * (promptTokens * price.input + completionTokens * price.output)) / 1_000_000;
    }
  }
  return summary;
}

/**
 * Paired comparison of two candidates on the graded prompts they share: wins, losses and ties, and the exact
 * McNemar p-value. Unweighted on purpose: the test counts prompts, and weights have no place in a binomial count.
 */
export function comparePaired(
  candidate: string,
  baseline: string,
  prompts: readonly EvalPrompt[],
  cells: readonly EvalCell[],
): PairedComparison {
  const a = cellsOf(cells, candidate);
  const b = cellsOf(cells, baseline);
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (const p of prompts) {
    // Weight 0 leaves a prompt out of the rates; it is left out of the test too.
    if (p.graders.length === 0 || p.weight === 0) continue;
    const pa = a.get(p.id)?.pass ?? false;
    const pb = b.get(p.id)?.pass ?? false;
    if (pa && !pb) wins += 1;
    else if (!pa && pb) losses += 1;
    else ties += 1;
  }
  return { candidate, baseline, wins, losses, ties, p_value: exactMcNemar(wins, losses) };
}

/**
 * All statistics of an evaluation, from the graded cells alone (so `tunefile report` can recompute them): per-candidate
 * rates and costs, paired comparisons of every candidate against base (and the gate's pair), and the gate.
 */
export function summarise(
  candidates: readonly EvalCandidate[],
  prompts: readonly EvalPrompt[],
  cells: readonly EvalCell[],
  gate: Gate | undefined,
  prices?: PriceOverrides,
  mode: RequestMode = "sync",
): EvalSummary {
  const summaries = candidates.map((c) => summariseCandidate(c, prompts, cells, prices, mode));
  const comparisons: PairedComparison[] = [];
  const compare = (candidate: string, baseline: string) => {
    const existing = comparisons.find((c) => c.candidate === candidate && c.baseline === baseline);
    if (existing) return existing;
    const made = comparePaired(candidate, baseline, prompts, cells);
    comparisons.push(made);
    return made;
  };
  const base = findCandidate(candidates, "base");
  if (base) for (const c of candidates) if (c.label !== base.label) compare(c.label, base.label);
  const verdict = decideGate(gate, candidates, summaries, compare);
  return { candidates: summaries, comparisons, gate: verdict };
}

import type {
  CandidateSummary,
  EvalCandidate,
  EvalCell,
  EvalPrompt,
  PairedComparison,
  RateWithInterval,
} from "../types.js";
import type { PriceOverrides } from "../../core/catalog/prices.js";
import { candidatePrice, costPer1kRequests, type RequestMode } from "./cost.js";
import { exactMcNemar } from "./mcnemar.js";
import { mean, percentile } from "./percentile.js";
import { wilsonInterval } from "./wilson.js";

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
  const byGrader = [...groups].map(([grader, list]) => {
    const r = weightedRate(list);
    return { grader, rate: r.rate, n: r.n };
  });

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
    if (answered.length > 0) summary.cost_per_1k_usd = costPer1kRequests(price, promptTokens, completionTokens);
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
    if (p.graders.length === 0) continue;
    const pa = a.get(p.id)?.pass ?? false;
    const pb = b.get(p.id)?.pass ?? false;
    if (pa && !pb) wins += 1;
    else if (!pa && pb) losses += 1;
    else ties += 1;
  }
  return { candidate, baseline, wins, losses, ties, p_value: exactMcNemar(wins, losses) };
}

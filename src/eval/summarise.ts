import type { Gate } from "../core/pipeline.generated.js";
import type { PriceOverrides } from "../core/catalog/prices.js";
import { decideGate, findCandidate } from "./gate.js";
import type { RequestMode } from "./stats/cost.js";
import { comparePaired, summariseCandidate } from "./stats/summary.js";
import type { EvalCandidate, EvalCell, EvalPrompt, EvalSummary, PairedComparison } from "./types.js";

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

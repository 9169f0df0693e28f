/**
 * Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290): for a prompt x with a
 * preferred answer y_w and a rejected one y_l, the loss is
 *   −log σ(β[(log π(y_w|x) − log π_ref(y_w|x)) − (log π(y_l|x) − log π_ref(y_l|x))])
 * with the model as it was before this job (frozen) as the reference π_ref. Its gradient is the gradient of the two
 * answers' log-likelihoods weighted by σ(−Δ)·β, with opposite signs: the preferred answer's relative likelihood is
 * pushed up and the rejected one's down, most strongly where the model still prefers the wrong one.
 */
import type { BatchGradient } from "./gradient.js";
import type { Params } from "./params.js";
import type { Scorer } from "./scorer.js";
import { scoreTurn, type Turn } from "./turns.js";

/** One preference pair as turns: the assistant turns of the preferred and of the rejected conversation. */
export interface PreferencePair {
  chosen: Turn[];
  rejected: Turn[];
}

export interface DpoTotals {
  /** Summed DPO loss over the pairs. */
  loss: number;
  pairs: number;
  /** Pairs whose implicit reward already ranks the preferred answer first (Δ > 0). */
  ranked: number;
  /** Summed reward margin Δ/β over the pairs. */
  margin: number;
}

/** log π(y|x): the summed log-likelihood of an answer's tokens, with the gradient of its NLL gathered when given. */
function logLikelihood(params: Params, scorer: Scorer, turns: Turn[], gradient?: BatchGradient, scale = 1): number {
  let nll = 0;
  for (const turn of turns) nll += scoreTurn(params, scorer, turn, gradient, scale).nll;
  return -nll;
}

export class DpoObjective {
  /** log π_ref of each pair's answers, computed once with the starting parameters. */
  private readonly reference: { chosen: number; rejected: number }[];

  constructor(
    params: Params,
    scorer: Scorer,
    private readonly pairs: readonly PreferencePair[],
    private readonly beta: number,
  ) {
    this.reference = pairs.map((p) => ({
      chosen: logLikelihood(params, scorer, p.chosen),
      rejected: logLikelihood(params, scorer, p.rejected),
    }));
  }

  /**
   * The loss over the pairs of `batch` (all of them by default) under `params`; with `gradient`, its gradient is
   * gathered too, measured before the update the caller applies:
   * dL/dθ = σ(−Δ)·β·(∇NLL(y_w) − ∇NLL(y_l)), scaled by 1/|batch|.
   */
  accumulate(params: Params, scorer: Scorer, batch?: readonly number[], gradient?: BatchGradient): DpoTotals {
    const totals: DpoTotals = { loss: 0, pairs: 0, ranked: 0, margin: 0 };
    const indices = batch ?? this.pairs.map((_, i) => i);
    for (const i of indices) {
      const pair = this.pairs[i]!;
      const ref = this.reference[i]!;
      // Δ/β: how much more the model prefers y_w over y_l than the reference does.
      const chosen = logLikelihood(params, scorer, pair.chosen) - ref.chosen;
      const m = chosen - (logLikelihood(params, scorer, pair.rejected) - ref.rejected);
      const delta = this.beta * m;
      totals.loss += softplus(-delta);
      totals.pairs += 1;
      totals.margin += m;
      if (delta > 0) totals.ranked += 1;
      if (!gradient) continue;
      const weight = sigmoid(-delta) * this.beta;
      logLikelihood(params, scorer, pair.chosen, gradient, weight / indices.length);
      logLikelihood(params, scorer, pair.rejected, gradient, -weight / indices.length);
    }
    return totals;
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(1 + e^x) without overflow: −log σ(Δ) = softplus(−Δ). */
function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

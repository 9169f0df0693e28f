import type { Gate } from "../core/pipeline.generated.js";
import { pct, pValue } from "../report/format.js";
import type { CandidateSummary, EvalCandidate, GateVerdict, PairedComparison } from "./types.js";

/** Default largest p-value that counts as beating the baseline. */
export const DEFAULT_SIGNIFICANCE = 0.05;

/**
 * Finds a candidate by the name the gate uses: its label (base, fine_tuned, few_shot:3, ...), or its kind when
 * exactly one candidate has that kind (so `must_beat: few_shot` works with one few-shot candidate).
 */
export function findCandidate(candidates: readonly EvalCandidate[], name: string): EvalCandidate | undefined {
  const byLabel = candidates.find((c) => c.label === name);
  if (byLabel) return byLabel;
  const byKind = candidates.filter((c) => c.kind === name);
  return byKind.length === 1 ? byKind[0] : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Decides the gate: the candidate's weighted pass rate must reach `min_pass_rate`, and it must beat `must_beat`:
 * a higher pass rate and an exact McNemar p-value at most `significance`. Every reason is kept, passing or not, so
 * the report can say exactly why.
 */
export function decideGate(
  gate: Gate | undefined,
  candidates: readonly EvalCandidate[],
  summaries: readonly CandidateSummary[],
  compare: (candidate: string, baseline: string) => PairedComparison,
): GateVerdict {
  if (!gate || (gate.min_pass_rate === undefined && gate.must_beat === undefined)) return { status: "none" };
  const name = gate.candidate ?? "fine_tuned";
  const candidate = findCandidate(candidates, name);
  const summary = candidate && summaries.find((s) => s.label === candidate.label);
  if (!candidate || !summary) {
    return {
      status: "failed",
      candidate: name,
      reasons: [`gate candidate "${name}" is not among the evaluated candidates`],
    };
  }
  const reasons: string[] = [];
  let ok = true;
  const rate = summary.pass.rate;
  if (gate.min_pass_rate !== undefined) {
    const met = rate >= gate.min_pass_rate;
    ok &&= met;
    reasons.push(
      `${candidate.label} pass rate ${pct(rate)} ${met ? "reaches" : "is below"} the minimum ${pct(gate.min_pass_rate)}`,
    );
  }
  if (gate.must_beat !== undefined) {
    const baseline = findCandidate(candidates, gate.must_beat);
    const baseSummary = baseline && summaries.find((s) => s.label === baseline.label);
    if (!baseline || !baseSummary) {
      ok = false;
      reasons.push(`must_beat "${gate.must_beat}" is not among the evaluated candidates`);
    } else {
      const alpha = gate.significance ?? DEFAULT_SIGNIFICANCE;
      const cmp = compare(candidate.label, baseline.label);
      const higher = rate > baseSummary.pass.rate;
      // The test is two-sided and counts prompts: its direction is wins against losses. A weighted rate can be higher
      // while the candidate loses most prompts, significantly; that never passes.
      const ahead = cmp.wins > cmp.losses;
      const significant = cmp.p_value <= alpha;
      const counts = `${plural(cmp.wins, "win")}, ${plural(cmp.losses, "loss", "losses")}, ${plural(cmp.ties, "tie")}; exact McNemar p = ${pValue(cmp.p_value)}`;
      ok &&= higher && ahead && significant;
      if (!higher) {
        reasons.push(
          `${candidate.label} pass rate ${pct(rate)} is not higher than ${baseline.label}'s ${pct(baseSummary.pass.rate)} (${counts})`,
        );
      } else if (!ahead) {
        reasons.push(`${candidate.label} does not win more prompts than ${baseline.label} (${counts})`);
      } else if (!significant) {
        reasons.push(`${candidate.label} does not beat ${baseline.label} significantly: ${counts} > ${alpha}`);
      } else {
        reasons.push(`${candidate.label} beats ${baseline.label}: ${counts} <= ${alpha}`);
      }
    }
  }
  return { status: ok ? "passed" : "failed", candidate: candidate.label, reasons };
}

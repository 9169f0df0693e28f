import type { EvalCell, EvalResults, GradeResult } from "../eval/types.js";
import { pct, pValue } from "./format.js";

/** Lookups the renderers share. */
export function viewOf(results: EvalResults) {
  const cells = new Map(results.cells.map((c) => [`${c.prompt}\u0000${c.candidate}`, c]));
  const groups: string[] = [];
  for (const p of results.prompts) for (const g of p.graders) if (!groups.includes(g.group)) groups.push(g.group);
  return {
    cell: (prompt: string, candidate: string): EvalCell | undefined => cells.get(`${prompt}\u0000${candidate}`),
    /** Prompts won and lost against base and the p-value (after `sep`), or "—" when no comparison was made. */
    versusBase: (candidate: string, sep = ", p = ") => {
      const cmp = results.summary.comparisons.find((c) => c.candidate === candidate && c.baseline === "base");
      return cmp ? `+${cmp.wins} −${cmp.losses}${sep}${pValue(cmp.p_value)}` : "—";
    },
    /** The distinct grader groups, in first-use order. */
    graderGroups: groups,
    /** Each candidate's pass rate on one grader group, in candidate order ("—" for a candidate without it). */
    graderRates: (group: string) =>
      results.candidates.map((c) => {
        const summary = results.summary.candidates.find((s) => s.label === c.label);
        const rate = summary?.by_grader.find((g) => g.grader === group);
        return rate ? pct(rate.rate) : "—";
      }),
  };
}

/** One line for a grade: ✓/✗/! then the grader's name and reason. */
export function gradeLine(g: GradeResult): string {
  const mark = g.error ? "!" : g.pass ? "✓" : "✗";
  return `${mark} ${g.grader}: ${g.reason}`;
}

/** The verdict of a cell in a word: pass, fail, or the request's error. */
export function cellVerdict(cell: EvalCell | undefined): string {
  if (!cell) return "not run";
  if (cell.error) return `error: ${cell.error.message}`;
  const verdict = cell.grades.length === 0 ? "ungraded" : cell.pass ? "pass" : "fail";
  if (cell.finish_reason === "length") return `${verdict} (cut off at the token limit)`;
  if (cell.finish_reason === "content_filter") return `${verdict} (stopped by the content filter)`;
  return verdict;
}

export function gateHeadline(results: EvalResults): string {
  const gate = results.summary.gate;
  switch (gate.status) {
    case "none":
      return "No gate configured.";
    case "passed":
      return `Gate passed: ${gate.candidate} may be deployed.`;
    case "failed":
      return `Gate NOT met: ${gate.candidate} is not deployed (exit code 100).`;
  }
}

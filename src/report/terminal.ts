import type { EvalResults } from "../eval/types.js";
import { lossWarnings, overlapItems, overlapSentence, answerWarnings } from "./evidence.js";
import { interval, metric, ms, pct, tokens, usd } from "./format.js";
import { lossSeries, type TrainingMetrics } from "./metrics.js";
import { gateHeadline, viewOf } from "./view.js";

const BARS = "▁▂▃▄▅▆▇█";

/**
 * A unicode sparkline of the values, at most `width` characters: longer series are averaged into `width` buckets
 * so the shape survives. Empty for no values.
 */
export function sparkline(values: readonly number[], width = 40): string {
  if (values.length === 0) return "";
  const buckets = Math.min(width, values.length);
  const means: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * values.length) / buckets));
    const slice = values.slice(from, to);
    means.push(slice.reduce((a, x) => a + x, 0) / slice.length);
  }
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  return means.map((v) => BARS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]).join("");
}

function padTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  return rows.map((r) =>
    r
      .map((c, i) => c + " ".repeat(widths[i]! - [...c].length))
      .join("  ")
      .trimEnd(),
  );
}

export interface RunSummaryInput {
  /** The evaluation's results, when evaluate ran or has recorded results. */
  results?: EvalResults | undefined;
  /** The training metrics (`<workDir>/metrics.csv`), when training ran. */
  metrics?: TrainingMetrics | undefined;
  /** Where the reports were written, for the last line. */
  reportPath?: string | undefined;
}

/**
 * The block printed at the end of `tunefile run`: training loss, candidates, held-out check and gate. Plain text, no
 * colour, so the same string serves a terminal and a CI log.
 */
export function renderRunSummary(input: RunSummaryInput): string {
  const lines: string[] = [];
  const loss = input.metrics ? lossSeries(input.metrics).find((s) => s.name === "train loss") : undefined;
  if (loss && loss.points.length > 0) {
    const ys = loss.points.map((p) => p.y);
    lines.push(
      `Training loss  ${sparkline(ys)}  ${metric(ys[0]!)} → ${metric(ys[ys.length - 1]!)} over ${loss.points.length} steps`,
    );
  }
  const results = input.results;
  for (const w of lossWarnings(results?.training)) lines.push(`Warning: ${w}.`);
  if (results) {
    const view = viewOf(results);
    if (lines.length > 0) lines.push("");
    lines.push(`Evaluation: ${results.prompts.length} prompts × ${results.candidates.length} candidates`);
    const header = ["candidate", "pass", "95% CI", "vs base", "tokens in/out", "p50", "cost/1k req"];
    const rows = results.summary.candidates.map((c) => [
      c.label,
      pct(c.pass.rate),
      interval(c.pass.low, c.pass.high),
      view.versusBase(c.label, " p="),
      `${tokens(c.mean_prompt_tokens)}/${tokens(c.mean_completion_tokens)}`,
      ms(c.latency_p50_ms),
      usd(c.cost_per_1k_usd),
    ]);
    lines.push(...padTable([header, ...rows]).map((l) => `  ${l}`));
    for (const w of answerWarnings(results)) lines.push(`Warning: ${w}.`);
    const overlap = overlapSentence(results.training_overlap);
    if (overlap) lines.push(overlap, ...overlapItems(results.training_overlap).map((i) => `  - ${i}`));
    lines.push(gateHeadline(results));
    const gate = results.summary.gate;
    if (gate.status !== "none") for (const r of gate.reasons) lines.push(`  - ${r}`);
  }
  if (input.reportPath) lines.push(`Report: ${input.reportPath}`);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

import type { CostEstimate } from "./cost.js";
import type { DatasetAnalysis } from "./analyze.js";
import type { Distribution } from "./distribution.js";
import { OPEN_MODELS } from "../core/catalog/open-models.js";
import { UNDATED } from "../core/catalog/prices.js";
import type { SetStats } from "./stats.js";

/**
 * The statistics table `tunefile validate` prints (and `plan` may reuse): counts, the distribution of tokens per
 * example, the cookbook's warnings, and the cost estimate with the price's provenance. Plain text, no colour, so
 * it can be compared whole in tests and pasted into an issue.
 */
export function renderAnalysis(analysis: DatasetAnalysis): string {
  const { train, validation } = analysis;
  const lines: string[] = [];
  lines.push(
    validation
      ? `${plural(train.examples, "training example")}, ${plural(validation.examples, "validation example")}`
      : `${plural(train.examples, "training example")}, no validation set`,
  );
  lines.push(
    `model ${analysis.model} (${analysis.method}): ${analysis.encoding}, at most ${analysis.max_tokens_per_example} tokens per example`,
  );
  const open = OPEN_MODELS.find((m) => m.name === analysis.model);
  if (open) {
    // No Llama 3 tokenizer is wired in: the counts (and the estimate built on them) are o200k's, not the model's.
    lines.push(
      `token counts are approximate: ${analysis.model} uses the ${open.tokenizer.family} tokenizer, counted here with ${analysis.encoding}`,
    );
  }
  lines.push("");
  const sets: [string, SetStats][] = [
    ["training", train],
    ...(validation ? [["validation", validation] as [string, SetStats]] : []),
  ];
  const perExample: string[][] = [["per example", "", "min", "p10", "median", "p90", "max", "mean"]];
  const distributions: [string, (s: SetStats) => Distribution][] = [
    ["messages", (s) => s.messages_per_example],
    ["tokens", (s) => s.tokens_per_example],
    ["assistant tokens", (s) => s.assistant_tokens_per_example],
  ];
  for (const [label, pick] of distributions) {
    sets.forEach(([name, stats], i) => {
      const d = pick(stats);
      perExample.push([i === 0 ? label : "", name, ...[d.min, d.p10, d.median, d.p90, d.max, d.mean].map(String)]);
    });
  }
  lines.push(...table(perExample));
  lines.push("");
  const totals: string[][] = [["totals", ...sets.map(([name]) => name)]];
  const row = (label: string, pick: (s: SetStats) => string) => totals.push([label, ...sets.map(([, s]) => pick(s))]);
  row("examples", (s) => String(s.examples));
  row("tokens", (s) => String(s.tokens));
  row("assistant tokens", (s) => String(s.assistant_tokens));
  row("billing tokens per epoch", (s) => (s === train ? String(s.billing_tokens) : "not billed"));
  row(`over ${analysis.max_tokens_per_example} tokens (truncated)`, (s) => String(s.over_limit));
  row("without a system message", (s) => String(s.missing_system));
  row("without a user message", (s) => String(s.missing_user));
  if (sets.some(([, s]) => s.approximate_counts > 0))
    row("approximate token counts", (s) => String(s.approximate_counts));
  lines.push(...table(totals));
  lines.push("");
  lines.push(...renderEstimate(analysis.estimate));
  return `${lines.join("\n")}\n`;
}

/** The cost lines: the formula with its numbers, then where the price comes from. */
export function renderEstimate(e: CostEstimate): string[] {
  const from = {
    configured: "configured",
    provider: "auto: the provider's default",
    heuristic: "auto: cookbook heuristic",
  };
  const epochs = `${e.n_epochs} epoch${e.n_epochs === 1 ? "" : "s"} (${from[e.epochs_from]})`;
  if (e.usd === null || e.usd_per_1m === null) {
    return [
      `estimated training cost: unknown (no price for this model); ${epochs} × ${e.billing_tokens} billing tokens`,
    ];
  }
  return [
    `estimated training cost: $${formatUsd(e.usd)} = ${epochs} × ${e.billing_tokens} billing tokens × $${e.usd_per_1m.toFixed(2)} per 1M`,
    `price source: ${e.price_source}, ${e.price_as_of === UNDATED ? UNDATED : `as of ${e.price_as_of}`}${e.price_note ? ` (${e.price_note})` : ""}`,
  ];
}

/** Small runs cost fractions of a cent: show enough digits to see them, but no more than needed. */
function formatUsd(usd: number): string {
  if (usd >= 1) return usd.toFixed(2);
  if (usd === 0) return "0.00";
  return usd.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "");
}

/** Left-aligned label columns (those whose header is not a number column), right-aligned numbers. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const labels = rows[0]![1] === "" ? 2 : 1;
  return rows.map((r) =>
    r
      .map((cell, c) => (c < labels ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

import type { CostEstimate } from "./cost.js";
import type { DatasetAnalysis } from "./analyze.js";
import type { Distribution } from "./distribution.js";
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
    `model ${analysis.model} (${analysis.method}): ${analysis.encoding}, at most ${analysis.maxTokensPerExample} tokens per example`,
  );
  lines.push("");
  const header = ["", "training", ...(validation ? ["validation"] : [])];
  const rows: string[][] = [header];
  const row = (label: string, pick: (s: SetStats) => string) =>
    rows.push([label, pick(train), ...(validation ? [pick(validation)] : [])]);
  row("examples", (s) => String(s.examples));
  distributionRows("messages per example", (s) => s.messagesPerExample, row);
  distributionRows("tokens per example", (s) => s.tokensPerExample, row);
  distributionRows("assistant tokens per example", (s) => s.assistantTokensPerExample, row);
  row("total tokens", (s) => String(s.tokens));
  row("total assistant tokens", (s) => String(s.assistantTokens));
  row("billing tokens per epoch", (s) => (s === train ? String(s.billingTokens) : "not billed"));
  row(`over ${analysis.maxTokensPerExample} tokens (truncated)`, (s) => String(s.overLimit));
  row("without a system message", (s) => String(s.missingSystem));
  row("without a user message", (s) => String(s.missingUser));
  if (train.approximateCounts > 0 || (validation?.approximateCounts ?? 0) > 0) {
    row("approximate token counts", (s) => String(s.approximateCounts));
  }
  lines.push(...table(rows));
  lines.push("");
  lines.push(...renderEstimate(analysis.estimate));
  return `${lines.join("\n")}\n`;
}

/** The cost lines: the formula with its numbers, then where the price comes from. */
export function renderEstimate(e: CostEstimate): string[] {
  const epochs = `${e.n_epochs} epoch${e.n_epochs === 1 ? "" : "s"} (${e.epochs_from === "configured" ? "configured" : "auto: cookbook heuristic"})`;
  if (e.usd === null || e.usd_per_1m === null) {
    return [
      `estimated training cost: unknown (no price for this model); ${epochs} × ${e.billing_tokens} billing tokens`,
    ];
  }
  return [
    `estimated training cost: $${formatUsd(e.usd)} = ${epochs} × ${e.billing_tokens} billing tokens × $${e.usd_per_1m.toFixed(2)} per 1M`,
    `price source: ${e.price_source}, as of ${e.price_as_of}`,
  ];
}

/** Small runs cost fractions of a cent: show enough digits to see them, but no more than needed. */
function formatUsd(usd: number): string {
  if (usd >= 1) return usd.toFixed(2);
  if (usd === 0) return "0.00";
  return usd.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "");
}

function distributionRows(
  label: string,
  pick: (s: SetStats) => Distribution,
  row: (label: string, pick: (s: SetStats) => string) => void,
): void {
  row(`${label} (min / median / max)`, (s) => {
    const d = pick(s);
    return `${d.min} / ${d.median} / ${d.max}`;
  });
  row("  p10 / p90 / mean", (s) => {
    const d = pick(s);
    return `${d.p10} / ${d.p90} / ${d.mean}`;
  });
}

/** Left-aligned first column, right-aligned numbers, two spaces between columns. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

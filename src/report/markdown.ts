import type { EvalResults } from "../eval/types.js";
import {
  CHECKPOINT_HEADER,
  checkpointRows,
  lossWarnings,
  overlapItems,
  overlapSentence,
  PRICE_HEADER,
  priceRows,
  providerNote,
  trainingRows,
  answerWarnings,
} from "./evidence.js";
import { interval, keyValues, ms, pct, tokens, usd } from "./format.js";
import { cellVerdict, gateHeadline, gradeLine, viewOf } from "./view.js";

/**
 * A Markdown table cell: backslashes and pipes escaped, `<` and `&` as entities (an answer is text, never markup),
 * line breaks as <br> so a multi-line answer stays in its cell.
 */
function cell(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
  return escaped.replace(/\r?\n/g, "<br>").trim() || " ";
}

/** A table with every cell escaped by {@link cell}, then a blank line. */
function table(header: string[], rows: string[][]): string[] {
  const row = (r: string[]) => `| ${r.map(cell).join(" | ")} |`;
  return [row(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(row), ""];
}

/**
 * `reports/<name>/report.md`: meant to be committed and diffed, so it holds nothing that changes when the results do
 * not (no run time, no cache flags).
 */
export function renderMarkdown(results: EvalResults): string {
  const view = viewOf(results);
  const labels = results.candidates.map((c) => c.label);
  const out: string[] = [`# ${results.pipeline}: evaluation report`, ""];
  const note = providerNote(results);
  if (note) out.push(`> **${note}**`, "");
  if (results.description) out.push(results.description, "");
  out.push(
    `Provider: ${results.provider.kind}. ${results.prompts.length} prompts × ${labels.length} candidates. Parameters: ${keyValues(results.params)}.`,
    "",
  );

  const gate = results.summary.gate;
  out.push("## Gate", "", `**${gateHeadline(results)}**`, "");
  if (gate.status !== "none") out.push(...gate.reasons.map((r) => `- ${r}`), "");
  for (const w of answerWarnings(results)) out.push(`**Warning:** ${cell(w)}.`, "");

  const overlap = overlapSentence(results.training_overlap);
  if (overlap) {
    out.push("## Held-out prompts", "", overlap, "");
    const items = overlapItems(results.training_overlap);
    if (items.length > 0) out.push(...items.map((i) => `- ${cell(i)}`), "");
  }

  out.push("## Summary", "");
  out.push(
    ...table(
      [
        "Candidate",
        "Model",
        "Pass rate",
        "95% CI",
        "vs base",
        "Prompt tokens",
        "Completion tokens",
        "Latency p50",
        "Latency p95",
        "Cost / 1k requests",
      ],
      results.summary.candidates.map((c) => [
        c.label,
        `\`${c.model}\``,
        pct(c.pass.rate),
        interval(c.pass.low, c.pass.high),
        view.versusBase(c.label),
        tokens(c.mean_prompt_tokens),
        tokens(c.mean_completion_tokens),
        ms(c.latency_p50_ms),
        ms(c.latency_p95_ms),
        usd(c.cost_per_1k_usd),
      ]),
    ),
    'Pass rates are weighted by prompt weight, with 95% Wilson intervals. "vs base" counts prompts won and lost against base, with the exact McNemar p-value. Tokens are means per request; costs are estimates at each candidate\'s own prices (below), not a bill.',
    "",
  );

  out.push(
    "## Prices",
    "",
    ...table(PRICE_HEADER, priceRows(results)),
    "Base and few-shot candidates are priced at the base model's own rates, fine-tuned models and checkpoints at the fine-tuned rates.",
    "",
  );

  const training = trainingRows(results.training);
  if (training) {
    out.push("## Training", "");
    for (const w of lossWarnings(results.training)) out.push(`**Warning:** ${w}.`, "");
    out.push(...table(["Fact", "Value"], training));
    const checkpoints = checkpointRows(results.training);
    if (checkpoints.length > 0) out.push(...table(CHECKPOINT_HEADER, checkpoints));
  }

  if (view.graderGroups.length > 0) {
    out.push(
      "## Pass rate per grader",
      "",
      ...table(
        ["Grader", ...labels],
        view.graderGroups.map((g) => [g, ...view.graderRates(g)]),
      ),
    );
  }

  out.push("## Prompts", "");
  for (const p of results.prompts) {
    out.push(`### ${p.id}`, "");
    if (p.weight !== 1) out.push(`Weight ${p.weight}.`, "");
    out.push(...p.user.split(/\r?\n/).map((l) => `> ${l}`), "");
    out.push(
      ...table(
        ["Candidate", "Answer", "Result"],
        labels.map((l) => {
          const c = view.cell(p.id, l);
          const grades = (c?.grades ?? []).map(gradeLine).join("\n");
          return [l, c?.output ?? "", [`**${cellVerdict(c)}**`, grades].filter(Boolean).join("\n")];
        }),
      ),
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

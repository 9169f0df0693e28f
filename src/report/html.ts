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
import { interval, ms, pct, tokens, usd } from "./format.js";
import { accuracySeries, lossSeries, type TrainingMetrics } from "./metrics.js";
import { escapeXml as esc, lineChartSvg } from "./svg-chart.js";
import { cellVerdict, gateHeadline, gradeLine, viewOf } from "./view.js";

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1f2937; }
h1 { margin-bottom: .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #e5e7eb; padding-bottom: .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 14px; }
th, td { border: 1px solid #e5e7eb; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.gate { padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.gate.passed { background: #ecfdf5; border: 1px solid #10b981; } .gate.failed { background: #fef2f2; border: 1px solid #ef4444; }
.gate.none { background: #f9fafb; border: 1px solid #d1d5db; }
.output { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; margin: 0 0 .4rem; }
.grades { list-style: none; margin: 0; padding: 0; font-size: 12px; }
.grades li.pass { color: #047857; } .grades li.fail { color: #b91c1c; } .grades li.error { color: #92400e; }
.verdict { font-weight: 600; font-size: 12px; text-transform: uppercase; }
td.pass { background: #f0fdf4; } td.fail { background: #fef2f2; }
.note { padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; background: #fffbeb; border: 1px solid #f59e0b; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } .muted { color: #6b7280; font-size: 13px; }
code { font-size: 12px; }
`;

function summaryTable(results: EvalResults): string {
  const view = viewOf(results);
  const rows = results.summary.candidates.map(
    (c) =>
      `<tr><th>${esc(c.label)}</th><td><code>${esc(c.model)}</code></td><td class="num">${pct(c.pass.rate)}</td><td class="num">${interval(c.pass.low, c.pass.high)}</td><td class="num">${view.versusBase(c.label)}</td></tr>`,
  );
  return `<table id="summary"><thead><tr><th>Candidate</th><th>Model</th><th>Pass rate</th><th>95% CI (Wilson)</th><th>vs base (exact McNemar)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function costTable(results: EvalResults): string {
  const rows = results.summary.candidates.map(
    (c) =>
      `<tr><th>${esc(c.label)}</th><td class="num">${c.requests}</td><td class="num">${tokens(c.mean_prompt_tokens)}</td><td class="num">${tokens(c.mean_completion_tokens)}</td><td class="num">${ms(c.latency_p50_ms)}</td><td class="num">${ms(c.latency_p95_ms)}</td><td class="num">${usd(c.cost_per_1k_usd)}</td></tr>`,
  );
  return `<table id="costs"><thead><tr><th>Candidate</th><th>Requests</th><th>Prompt tokens / request</th><th>Completion tokens / request</th><th>Latency p50</th><th>Latency p95</th><th>Cost / 1,000 requests</th></tr></thead><tbody>${rows.join("")}</tbody></table>
<p class="muted">Costs are estimates at each candidate's own prices (below), not a bill.</p>`;
}

/** A table whose first column heads its row; `num`: the other cells are right-aligned figures. */
function plainTable(id: string, header: string[], rows: string[][], num = false): string {
  const td = num ? `<td class="num">` : "<td>";
  const head = header.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = rows.map(
    (r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `${td}${esc(c)}</td>`)).join("")}</tr>`,
  );
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

function heldOut(results: EvalResults): string {
  const sentence = overlapSentence(results.training_overlap);
  if (!sentence) return "";
  const items = overlapItems(results.training_overlap);
  const cls = items.length > 0 ? "note" : "muted";
  const list = items.length > 0 ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : "";
  return `<h2>Held-out prompts</h2><div id="held-out" class="${cls}"><p>${esc(sentence)}</p>${list}</div>`;
}

function stoppedShort(results: EvalResults): string {
  const warnings = answerWarnings(results);
  if (warnings.length === 0) return "";
  return `<div id="stopped-short" class="note">${warnings.map((w) => `<p><strong>Warning:</strong> ${esc(w)}.</p>`).join("")}</div>`;
}

function prices(results: EvalResults): string {
  return `<h2>Prices</h2>${plainTable("prices", PRICE_HEADER, priceRows(results))}
<p class="muted">Base and few-shot candidates are priced at the base model's own rates, fine-tuned models and checkpoints at the fine-tuned rates.</p>`;
}

function training(results: EvalResults): string {
  const rows = trainingRows(results.training);
  if (!rows) return "";
  const warnings = lossWarnings(results.training)
    .map((w) => `<div class="note"><strong>Warning:</strong> ${esc(w)}.</div>`)
    .join("");
  const checkpoints = checkpointRows(results.training);
  return `<h2>Training</h2>${warnings}${plainTable("training", ["Fact", "Value"], rows)}${
    checkpoints.length > 0 ? plainTable("checkpoints", CHECKPOINT_HEADER, checkpoints) : ""
  }`;
}

function graderTable(results: EvalResults): string {
  const view = viewOf(results);
  if (view.graderGroups.length === 0) return "";
  const header = ["Grader", ...results.candidates.map((c) => c.label)];
  const rows = view.graderGroups.map((g) => [g, ...view.graderRates(g)]);
  return `<h2>Pass rate per grader</h2>${plainTable("graders", header, rows, true)}`;
}

function sideBySide(results: EvalResults): string {
  const view = viewOf(results);
  const labels = results.candidates.map((c) => c.label);
  const rows = results.prompts.map((p) => {
    const cells = labels.map((l) => {
      const c = view.cell(p.id, l);
      const verdict = cellVerdict(c);
      const cls = c && !c.error && c.grades.length > 0 ? (c.pass ? "pass" : "fail") : "";
      const grades = (c?.grades ?? [])
        .map((g) => `<li class="${g.error ? "error" : g.pass ? "pass" : "fail"}">${esc(gradeLine(g))}</li>`)
        .join("");
      return `<td class="${cls}"><pre class="output">${esc(c?.output ?? "")}</pre><div class="verdict">${esc(verdict)}</div><ul class="grades">${grades}</ul></td>`;
    });
    const weight = p.weight !== 1 ? `<div class="muted">weight ${p.weight}</div>` : "";
    return `<tr><th><div>${esc(p.id)}</div><pre class="output">${esc(p.user)}</pre>${weight}</th>${cells.join("")}</tr>`;
  });
  return `<table id="side-by-side"><thead><tr><th>Prompt</th>${labels.map((l) => `<th>${esc(l)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function charts(metrics: TrainingMetrics | undefined): string {
  if (!metrics || metrics.rows.length === 0) {
    return `<p class="muted">No training metrics (training did not run in this project).</p>`;
  }
  const loss = lineChartSvg(lossSeries(metrics), { title: "Loss", yLabel: "loss" });
  const acc = accuracySeries(metrics);
  const accuracy = acc.length > 0 ? lineChartSvg(acc, { title: "Token accuracy", yLabel: "accuracy" }) : "";
  return `<div class="charts">${loss}${accuracy}</div>`;
}

/** `reports/<name>/report.html`: one self-contained page (inline CSS and SVG, no script, no external asset). */
export function renderHtml(results: EvalResults, metrics: TrainingMetrics | undefined): string {
  const gate = results.summary.gate;
  const reasons = gate.status === "none" ? "" : `<ul>${gate.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(results.pipeline)}: evaluation report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(results.pipeline)}: evaluation report</h1>
${providerNote(results) ? `<div id="provider-note" class="note"><strong>${esc(providerNote(results)!)}</strong></div>` : ""}
${results.description ? `<p>${esc(results.description)}</p>` : ""}
<p class="muted">Provider: ${esc(results.provider.kind)}. ${results.prompts.length} prompts × ${results.candidates.length} candidates.</p>
<div id="gate" class="gate ${gate.status}"><strong>${esc(gateHeadline(results))}</strong>${reasons}</div>${stoppedShort(results)}
${heldOut(results)}
<h2>Summary</h2>
${summaryTable(results)}
<h2>Tokens, latency and cost</h2>
${costTable(results)}
${prices(results)}
${training(results)}
${graderTable(results)}
<h2>Training curves</h2>
${charts(metrics)}
<h2>Answers side by side</h2>
${sideBySide(results)}
</body>
</html>
`;
}

// The plain-text results table printed at the end of a run (also pasted into RESULTS.md, hence Markdown).

function fmt(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return "";
  const a = Math.abs(n);
  if (a >= 1000) return n.toFixed(0);
  if (a >= 100) return n.toFixed(1);
  if (a >= 10) return n.toFixed(2);
  return n.toFixed(3);
}

function status(r) {
  const parts = [];
  if (r.target) parts.push(`${r.targetMet ? "met" : "MISSED"} (${r.target})`);
  if (r.rssTarget) parts.push(`RSS ${r.rssTargetMet ? "met" : "MISSED"} (${r.rssTarget})`);
  return parts.join("; ");
}

/** A Markdown table of every row of every benchmark, with skipped and failed benchmarks as one line each. */
export function formatTable(results) {
  const header = ["benchmark", "figure", "unit", "median", "min", "max", "runs", "peak RSS MB", "CPU s", "target"];
  const lines = [header];
  for (const b of results) {
    if (b.status !== "ok") {
      const why = b.status === "skipped" ? `not available yet: ${b.reason}` : `FAILED: ${b.reason.split("\n")[0]}`;
      lines.push([b.name, why, "", "", "", "", "", "", "", ""]);
      continue;
    }
    for (const r of b.rows) {
      if (r.skipped) {
        lines.push([b.name, `${r.label}: ${r.skipped}`, "", "", "", "", "", "", "", ""]);
        continue;
      }
      lines.push([
        b.name,
        r.label,
        r.unit,
        fmt(r.median),
        fmt(r.min),
        fmt(r.max),
        String(r.runs),
        r.peakRssMB === undefined ? "" : r.peakRssMB.toFixed(0),
        r.cpuSecondsMedian === undefined ? "" : fmt(r.cpuSecondsMedian),
        status(r),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const render = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const table = [
    render(lines[0]),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.slice(1).map(render),
  ];
  const notes = results.flatMap((b) =>
    (b.status === "ok" ? b.rows : []).filter((r) => r.note).map((r) => `- ${b.name}, ${r.label}: ${r.note}`),
  );
  return [...table, ...(notes.length > 0 ? ["", "Notes:", ...notes] : [])].join("\n");
}

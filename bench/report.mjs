#!/usr/bin/env node
// Renders bench/results/latest.json as Markdown (machine, date, the table, each target met or missed, and the
// profile of every miss), so RESULTS.md carries only figures a run printed.
//
//   node bench/report.mjs [FILE]            print the Markdown (FILE: a results JSON; default results/latest.json)
//   node bench/report.mjs --write [FILE]    replace the part of bench/RESULTS.md between the generated-results markers

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "./lib/table.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const START = "<!-- generated-results:start (node bench/report.mjs --write) -->";
const END = "<!-- generated-results:end -->";

function fmt(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return "n/a";
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function renderResults(report) {
  const m = report.machine;
  const out = [];
  out.push(
    `Run of ${report.date} (commit ${m.commit})${report.quick ? ", --quick (not for the record)" : ""}${report.only ? `, --only ${report.only.join(",")}` : ""}: ${report.totalSeconds} s in all.`,
  );
  out.push("");
  out.push(`- Machine: \`nproc\` = ${m.nproc}; CPU model (/proc/cpuinfo) ${m.cpuInfoModel}; ${m.platform}`);
  out.push(`- Node ${m.node}; peak RSS measured with ${m.rssMethod}`);
  out.push(
    `- Load average (1, 5, 15 min) at start ${report.loadAverage.start.join(", ")}, at end ${report.loadAverage.end.join(", ")}`,
  );
  out.push("- `free -h`:");
  out.push("");
  out.push("```");
  out.push(m.freeH);
  out.push("```");
  out.push("");
  out.push(formatTable(report.benchmarks));
  out.push("");
  out.push("Targets:");
  out.push("");
  for (const b of report.benchmarks) {
    if (b.status !== "ok") {
      out.push(
        `- ${b.name}: ${b.status === "skipped" ? `not available yet: ${b.reason}` : `FAILED: ${b.reason.split("\n")[0]}`}`,
      );
      continue;
    }
    for (const r of b.rows) {
      if (r.target)
        out.push(
          `- ${r.targetMet ? "met" : "**missed**"}: ${r.label}: ${fmt(r.median)} ${r.unit} (target ${r.target})`,
        );
      if (r.rssTarget)
        out.push(
          `- ${r.rssTargetMet ? "met" : "**missed**"}: ${r.label}: peak RSS ${fmt(r.peakRssMB)} MB (target ${r.rssTarget})`,
        );
    }
  }
  const profiled = report.benchmarks.flatMap((b) => (b.status === "ok" ? b.rows : []).filter((r) => r.profile));
  for (const r of profiled) {
    out.push("");
    out.push(
      `Profile of the miss "${r.label}": \`${r.profile.command}\` under \`node --cpu-prof\` (exit ${r.profile.exitCode})`,
    );
    for (const t of r.profile.threads) {
      out.push("");
      out.push(`${t.file}: ${t.totalMs} ms sampled. Top frames by self time:`);
      out.push("");
      out.push("```");
      for (const f of t.frames) out.push(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
      out.push("```");
      out.push("");
      out.push("Self time by file or package:");
      out.push("");
      out.push("```");
      for (const f of t.files) out.push(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
      out.push("```");
      out.push("");
      out.push("Self time by area:");
      out.push("");
      out.push("```");
      for (const f of t.areas ?? [])
        out.push(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
      out.push("```");
    }
  }
  return out.join("\n");
}

// The results file: the last argument that is not a flag, else the last run's.
const fileArg = process.argv.slice(2).find((a) => !a.startsWith("--"));
const report = JSON.parse(readFileSync(fileArg ?? join(benchDir, "results", "latest.json"), "utf8"));
const markdown = renderResults(report);
if (process.argv.includes("--write")) {
  const file = join(benchDir, "RESULTS.md");
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} lacks the markers ${START} ... ${END}`);
  writeFileSync(file, `${text.slice(0, a + START.length)}\n${markdown}\n${text.slice(b)}`);
  console.log(`updated ${file}`);
} else {
  console.log(markdown);
}

#!/usr/bin/env node
// The benchmark runner (`npm run bench`, which builds dist/ first). Runs each benchmark in bench/*.bench.mjs in
// turn, never in parallel (this is a 2-core machine), prints a table and writes bench/results/latest.json.
//
//   node bench/run.mjs [--only NAME[,NAME]] [--quick]
//
// --only NAME   run only these benchmarks (cold-start, noop-rerun, validate, evaluate, training, server-upload)
// --quick       smaller inputs and fewer runs, for iterating; not for the record in RESULTS.md
// --no-profile  do not profile a command that missed its target (profiling is on, except with --quick)
//
// A benchmark whose subject is not built yet is skipped with "not available yet: <why>"; one that fails is
// reported as failed with the child's own error, and the others still run.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rssMethod } from "./lib/measure.mjs";
import { NotAvailable } from "./lib/result.mjs";
import { formatTable } from "./lib/table.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);

/** In the order they run: the cheap ones first, so a quick look needs no waiting. */
const BENCHMARKS = ["cold-start", "noop-rerun", "validate", "evaluate", "training", "server-upload"];

function parseArgs(argv) {
  const opts = { only: undefined, quick: false, profile: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") opts.quick = true;
    else if (a === "--no-profile") opts.profile = false;
    else if (a === "--only") opts.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a.startsWith("--only=")) opts.only = a.slice(7).split(",").filter(Boolean);
    else if (a === "--help" || a === "-h") {
      console.log("usage: node bench/run.mjs [--only NAME[,NAME]] [--quick] [--no-profile]");
      console.log(`benchmarks: ${BENCHMARKS.join(", ")}`);
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  for (const n of opts.only ?? []) {
    if (!BENCHMARKS.includes(n)) {
      console.error(`unknown benchmark: ${n} (have: ${BENCHMARKS.join(", ")})`);
      process.exit(2);
    }
  }
  return opts;
}

/**
 * A private copy of the build (bin, dist, schemas, package.json, bench scripts; node_modules linked) that every
 * benchmark runs, so a rebuild of dist/ while the suite runs (other work in the same checkout) cannot change the
 * code under measurement halfway through.
 */
function snapshotBuild() {
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-build-"));
  for (const part of ["bin", "dist", "schemas", "package.json"]) {
    if (existsSync(join(root, part))) cpSync(join(root, part), join(dir, part), { recursive: true });
  }
  cpSync(benchDir, join(dir, "bench"), {
    recursive: true,
    filter: (src) => !src.includes(`${join(benchDir, "results")}`),
  });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

function machine() {
  const cpu = cpus()[0]?.model ?? "unknown";
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {}
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trimEnd();
    } catch {
      return "unavailable";
    }
  };
  let cpuInfoModel = cpu;
  try {
    cpuInfoModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {}
  return {
    nproc: sh("nproc", []),
    freeH: sh("free", ["-h"]),
    cpuInfoModel,
    cpuModel: cpu,
    cores: cpus().length,
    memTotalGiB: +(totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit,
    rssMethod,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    console.error("dist/ is missing: run `npm run bench` (it builds first) or `npm run build`.");
    process.exit(2);
  }
  const snapshot = snapshotBuild();
  const selected = BENCHMARKS.filter((n) => !opts.only || opts.only.includes(n));
  const ctx = {
    root,
    bin: join(snapshot, "bin", "tunefile.js"),
    distDir: join(snapshot, "dist"),
    benchDir: join(snapshot, "bench"),
    quick: opts.quick,
    profileMisses: opts.profile && !opts.quick,
    log: (msg) => console.log(`  ${msg}`),
  };
  const startedAt = new Date();
  // Read before anything runs: the commit and machine that the snapshot of the build was taken from.
  const machineAtStart = machine();
  // Other processes on a 2-core machine change every figure; the load average says how busy it was.
  const loadStart = loadavg().map((l) => +l.toFixed(2));
  const results = [];
  for (const name of selected) {
    const mod = await import(join(benchDir, `${name}.bench.mjs`));
    console.log(`\n## ${name}: ${mod.description}`);
    const started = performance.now();
    let entry;
    try {
      const rows = await mod.run(ctx);
      entry = { name, status: "ok", rows };
      for (const r of rows) if (r.skipped) console.log(`  ${r.label}: ${r.skipped}`);
    } catch (err) {
      if (err instanceof NotAvailable) {
        entry = { name, status: "skipped", reason: err.message, rows: [] };
        console.log(`  not available yet: ${err.message}`);
      } else {
        entry = { name, status: "failed", reason: String(err?.stack ?? err), rows: [] };
        console.log(`  FAILED: ${err?.message ?? err}`);
      }
    }
    entry.seconds = +((performance.now() - started) / 1000).toFixed(1);
    console.log(`  (${entry.seconds} s)`);
    results.push(entry);
  }
  const totalSeconds = +((Date.now() - startedAt.getTime()) / 1000).toFixed(1);
  const report = {
    date: startedAt.toISOString(),
    quick: opts.quick,
    only: opts.only ?? null,
    machine: machineAtStart,
    loadAverage: { start: loadStart, end: loadavg().map((l) => +l.toFixed(2)) },
    totalSeconds,
    benchmarks: results,
  };

  console.log(`\n${formatTable(results)}`);
  console.log(
    `\ntotal ${totalSeconds} s on ${report.machine.cores} x ${report.machine.cpuModel}, node ${process.version}`,
  );

  const outDir = join(benchDir, "results");
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, "latest.json");
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${outFile}`);
  rmSync(snapshot, { recursive: true, force: true });
  // A failed benchmark fails the command; a skipped one (not built yet) or a missed target does not.
  if (results.some((r) => r.status === "failed")) process.exitCode = 1;
}

await main();

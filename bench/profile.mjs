#!/usr/bin/env node
// Profiles one tunefile command with `node --cpu-prof` and summarises where the time went: the top frames by
// self time, and self time per file or package. This is how RESULTS.md explains a missed target.
//
//   node bench/profile.mjs [--cwd DIR] [--top N] -- <args to bin/tunefile.js>
//   node bench/profile.mjs --summarise FILE.cpuprofile        (summarise an existing profile)
//
// Worker threads write their own .cpuprofile files; each is summarised separately.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { offlineEnv } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Self time per frame and per file (ms), from a V8 .cpuprofile. */
export function summariseProfile(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const frames = new Map();
  const files = new Map();
  const areas = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    totalUs += us;
    const where = shortUrl(url);
    const frame = `${functionName || "(anonymous)"} ${where}${url ? `:${lineNumber + 1}` : ""}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    files.set(where || functionName, (files.get(where || functionName) ?? 0) + us);
    const area = areaOf(url, where, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ name: k, ms: +(us / 1000).toFixed(1), pct: +((100 * us) / totalUs).toFixed(1) }));
  return { totalMs: +(totalUs / 1000).toFixed(1), frames: rank(frames), files: rank(files), areas: rank(areas) };
}

/** A coarse owner of a frame: an npm package, a dist/ folder (one area of tunefile), Node itself, GC or idle. */
function areaOf(url, where, functionName) {
  if (!url) return functionName.startsWith("(") ? functionName : "native (fs, compile, ...)";
  if (url.startsWith("node:")) return "node internals";
  const parts = where.split("/");
  if (url.includes("node_modules/")) return `npm: ${parts[0].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]}`;
  if (parts[0] === "dist") return `tunefile: ${parts.slice(0, Math.min(parts.length - 1, 2)).join("/")}`;
  return where;
}

/** Paths shortened to the package (node_modules/<pkg>/...) or to the repo-relative file. */
function shortUrl(url) {
  if (!url) return "";
  let path = url;
  if (url.startsWith("file://")) path = fileURLToPath(url);
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + 13).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${pkg}/${rest.slice(rest[0].startsWith("@") ? 2 : 1).join("/")}`;
  }
  // The runner measures a snapshot of the build in a temp dir (bench/run.mjs): show its files as the repo's.
  const snapshot = /^.*\/tunefile-bench-build-[^/]+\//.exec(path);
  if (snapshot) return path.slice(snapshot[0].length);
  return path.startsWith(root) ? relative(root, path) : path;
}

export function formatSummary(summary, title) {
  const lines = [`${title}: ${summary.totalMs} ms sampled`, "  top frames by self time:"];
  for (const f of summary.frames)
    lines.push(`    ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  lines.push("  self time by file / package:");
  for (const f of summary.files)
    lines.push(`    ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  lines.push("  self time by area:");
  for (const f of summary.areas ?? [])
    lines.push(`    ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  return lines.join("\n");
}

/** Runs `node --cpu-prof bin/tunefile.js ...args` and returns one summary per profiled thread. */
export function profileCommand(
  args,
  { cwd = root, top = 15, env = offlineEnv(), bin = join(root, "bin", "tunefile.js") } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-prof-"));
  try {
    const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, bin, ...args], {
      cwd,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const summaries = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .sort()
      .map((f) => ({ file: f, ...summariseProfile(JSON.parse(readFileSync(join(dir, f), "utf8")), top) }));
    return { code: r.status, stderr: r.stderr, summaries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  let cwd = root;
  let top = 15;
  if (argv[0] === "--summarise") {
    console.log(formatSummary(summariseProfile(JSON.parse(readFileSync(argv[1], "utf8")), top), argv[1]));
    process.exit(0);
  }
  while (argv.length > 0 && argv[0] !== "--") {
    const a = argv.shift();
    if (a === "--cwd") cwd = argv.shift();
    else if (a === "--top") top = Number(argv.shift());
    else {
      console.error(`unknown argument ${a}; usage: node bench/profile.mjs [--cwd DIR] [--top N] -- <tunefile args>`);
      process.exit(2);
    }
  }
  argv.shift();
  const { code, stderr, summaries } = profileCommand(argv, { cwd, top });
  console.log(`tunefile ${argv.join(" ")} exited ${code}`);
  if (code !== 0) console.log(stderr.trim().split("\n").slice(-5).join("\n"));
  for (const s of summaries) console.log(`\n${formatSummary(s, s.file)}`);
}

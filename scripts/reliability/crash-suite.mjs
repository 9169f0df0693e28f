#!/usr/bin/env node
/**
 * Crash suite: runs the elle pipeline on the local provider and SIGKILLs the runner's process group inside a stage,
 * in a window where one of its side effects is half done (scripts/reliability/lib/windows.mjs: between upload
 * parts, between a create and the lockfile recording its id, while monitoring training, with part of the
 * evaluation's answers cached, around deploy's write), then reruns at once, with no wait, until a run completes.
 * After every kill and every run it checks, from the files on disk alone:
 *   - the lockfile parses and validates against its schema;
 *   - no stage claims a success that did not happen;
 *   - the local provider holds at most one fine-tuning job (exactly one at the end) and one stored copy per
 *     distinct content (files and completed uploads);
 *   - at the end, every stage succeeded and the fine-tuned model is recorded.
 * Where each kill landed is read afterwards from the child's events and the lockfile (lib/landing.mjs): inside a
 * stage, or at a stage's end (outcome recorded) / between stages. A share of the trials runs every run as PID 1 of
 * a fresh PID namespace (`unshare`), as in a container; where that is not permitted, the reason is printed.
 *
 * Usage: node scripts/reliability/crash-suite.mjs [--trials 20] [--seed 1] [--concurrency 2] [--step-ms 40]
 *          [--max-kills 3] [--small-eval] [--schedule random|cover] [--namespace-share 0.25]
 *          [--bin <dir holding bin/ and dist/>] [--keep] [--quiet]
 * --schedule cover aims the first kill of trial i at window i (mod the number of windows), so every stage is aimed
 * at; random draws every kill. Exit 0 only when every trial survived, with no duplicate, no refusal, and at least
 * one in-stage kill in every stage.
 */
import { parseArgs } from "node:util";
import { probeNamespace } from "./lib/child.mjs";
import { mulberry32 } from "./lib/rng.mjs";
import { runTrial } from "./lib/trial.mjs";
import { STAGES, WINDOWS } from "./lib/windows.mjs";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "2" },
    "step-ms": { type: "string", default: "40" },
    "max-kills": { type: "string", default: "3" },
    "small-eval": { type: "boolean", default: false },
    schedule: { type: "string", default: "random" },
    "namespace-share": { type: "string", default: "0.25" },
    bin: { type: "string" },
    keep: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const trials = Number(values.trials);
const seed = Number(values.seed);
const concurrency = Math.max(1, Number(values.concurrency));
const share = Math.min(1, Math.max(0, Number(values["namespace-share"])));
if (values.schedule !== "random" && values.schedule !== "cover") {
  console.error(`--schedule must be random or cover, got "${values.schedule}"`);
  process.exit(2);
}
const options = {
  stepMs: Number(values["step-ms"]),
  smallEval: values["small-eval"],
  binRoot: values.bin,
  keep: values.keep,
  maxKills: Math.max(1, Number(values["max-kills"])),
  seed,
};

const namespaces = share > 0 ? probeNamespace() : { ok: false, reason: "off (--namespace-share 0)" };
if (share > 0 && !namespaces.ok)
  console.log(`PID namespaces not available, every trial runs normally: ${namespaces.reason}`);
/** Every 1/share-th trial (spread evenly, so the share holds in a short run too). */
const inNamespace = (index) => namespaces.ok && Math.floor((index + 1) * share) > Math.floor(index * share);

const results = [];
let next = 0;
const started = Date.now();
async function worker() {
  while (next < trials) {
    const index = next++;
    // Each trial has its own seeded sequence, so one trial replays alone with the same --seed.
    const rng = mulberry32((seed * 1_000_003 + index) >>> 0);
    const firstWindow = values.schedule === "cover" ? WINDOWS[index % WINDOWS.length] : undefined;
    const t0 = Date.now();
    const result = await runTrial(index, rng, { ...options, firstWindow, namespace: inNamespace(index) });
    result.seconds = (Date.now() - t0) / 1000;
    results.push(result);
    if (!values.quiet) {
      const kills = result.kills
        .map((k) => `${k.window}+${k.delayMs}ms→${k.inStage ? `in ${k.stage} (${k.evidence})` : `${k.stage}-end`}`)
        .join(", ");
      const missed = result.missed.length > 0 ? ` missed [${result.missed.join(", ")}]` : "";
      const verdict = result.survived ? "ok" : `FAILED: ${result.problems.join("; ")}`;
      const ns = result.namespace ? " pidns" : "";
      console.log(
        `trial ${index + 1}/${trials}${ns}: ${result.runs} runs, ${result.seconds.toFixed(1)}s, kills [${kills}]${missed} ${verdict}`,
      );
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

const sum = (f) => results.reduce((n, r) => n + f(r), 0);
const survived = results.filter((r) => r.survived).length;
const duplicateJobs = sum((r) => r.duplicateJobs);
const duplicateUploads = sum((r) => r.duplicateUploads);
const abandoned = sum((r) => r.abandonedUploads);
const refusals = sum((r) => r.refusals);
const kills = results.flatMap((r) => r.kills);
const inStage = Object.fromEntries(STAGES.map((s) => [s, 0]));
const atEnd = {};
for (const k of kills) {
  if (k.inStage) inStage[k.stage] += 1;
  else atEnd[k.stage] = (atEnd[k.stage] ?? 0) + 1;
}
const windows = {};
for (const k of kills.filter((k) => k.inStage)) {
  const key = `${k.window} → ${k.evidence}`;
  windows[key] = (windows[key] ?? 0) + 1;
}
const missed = sum((r) => r.missed.length);
const nsTrials = results.filter((r) => r.namespace).length;
const seconds = (Date.now() - started) / 1000;
const list = (o) =>
  Object.entries(o)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

console.log("in-stage kills by window and what was half done:");
for (const [key, n] of Object.entries(windows).sort()) console.log(`  ${key}: ${n}`);
console.log(
  `kills: ${kills.length}; in-stage: ${list(inStage)}; at *-end or between stages: ${list(atEnd)}; aimed kills that did not land (window never opened, or the run ended first): ${missed}`,
);
console.log(
  `PID-namespace trials: ${nsTrials}${namespaces.ok ? "" : ` (${namespaces.reason})`}; refusals of an immediate rerun: ${refusals}; abandoned pending uploads: ${abandoned}`,
);
const stray = sum((r) => r.strayFiles);
if (stray > 0) console.log(`temp files left in deployments/ by a kill mid-write, still there at the end: ${stray}`);
const gaps = results.flatMap((r) => r.rerunGapsMs).sort((a, b) => a - b);
if (gaps.length > 0) {
  console.log(
    `rerun after a kill started ${gaps[Math.floor(gaps.length / 2)]} ms (median), ${gaps.at(-1)} ms (max) after the killed run was gone`,
  );
}
console.log(
  `time: ${seconds.toFixed(0)}s for ${trials} trials at concurrency ${concurrency} (${(seconds / Math.max(1, trials)).toFixed(1)}s per trial wall, ${(sum((r) => r.seconds) / Math.max(1, trials)).toFixed(1)}s mean trial duration)`,
);
const uncovered = STAGES.filter((s) => inStage[s] === 0);
if (uncovered.length > 0) console.log(`no in-stage kill in: ${uncovered.join(", ")}`);
console.log(
  `crash trials: ${trials}, survived: ${survived}, duplicate jobs: ${duplicateJobs}, duplicate uploads: ${duplicateUploads}, refusals: ${refusals}`,
);
process.exitCode =
  survived === trials && duplicateJobs === 0 && duplicateUploads === 0 && refusals === 0 && uncovered.length === 0
    ? 0
    : 1;

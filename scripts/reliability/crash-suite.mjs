#!/usr/bin/env node
/**
 * Crash suite (issue 6): runs the elle pipeline on the local provider and kills the runner with SIGKILL
 * at seeded random instants in every stage, then reruns (possibly killing the rerun too) until the run completes.
 * After every kill and every rerun it checks, from the files on disk alone:
 *   - the lockfile parses and validates against its schema;
 *   - no stage claims a success that did not happen (prepared files, uploaded files, the job, the report and the
 *     deployment record all exist and agree with the lockfile);
 *   - the local provider holds at most one fine-tuning job (exactly one at the end) and one upload per distinct
 *     content;
 *   - at the end, the fine-tuned model is recorded.
 *
 * Usage: node scripts/reliability/crash-suite.mjs [--trials 20] [--seed 1] [--concurrency 2] [--step-ms 20]
 *          [--max-kills 3] [--small-eval] [--bin <dir holding bin/ and dist/>] [--keep]
 * The last line is `crash trials: N, survived: N, duplicate jobs: 0, duplicate uploads: 0`; exit 0 only when every
 * trial survived with no duplicate.
 */
import { parseArgs } from "node:util";
import { runTrial } from "./lib/trial.mjs";
import { mulberry32 } from "./lib/rng.mjs";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "2" },
    "step-ms": { type: "string", default: "20" },
    "max-kills": { type: "string", default: "3" },
    "small-eval": { type: "boolean", default: false },
    bin: { type: "string" },
    keep: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const trials = Number(values.trials);
const seed = Number(values.seed);
const concurrency = Math.max(1, Number(values.concurrency));
const options = {
  stepMs: Number(values["step-ms"]),
  smallEval: values["small-eval"],
  binRoot: values.bin,
  keep: values.keep,
  maxKills: Math.max(1, Number(values["max-kills"])),
};

const results = [];
let next = 0;
const started = Date.now();
async function worker() {
  while (next < trials) {
    const index = next++;
    // Each trial has its own seeded sequence, so one trial replays alone with the same --seed.
    const rng = mulberry32((seed * 1_000_003 + index) >>> 0);
    const result = await runTrial(index, rng, options);
    results.push(result);
    if (!values.quiet) {
      const kills = result.kills.map((k) => `${k.target}@${k.landedIn}+${k.delayMs}ms`).join(" ");
      const verdict = result.survived ? "ok" : `FAILED: ${result.problems.join("; ")}`;
      console.log(`trial ${index + 1}/${trials}: ${result.runs} runs, kills [${kills}] ${verdict}`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

const survived = results.filter((r) => r.survived).length;
const duplicateJobs = results.reduce((n, r) => n + r.duplicateJobs, 0);
const duplicateUploads = results.reduce((n, r) => n + r.duplicateUploads, 0);
const kills = results.flatMap((r) => r.kills);
const byStage = {};
for (const k of kills) byStage[k.landedIn] = (byStage[k.landedIn] ?? 0) + 1;
console.log(
  `kills: ${kills.length} (${Object.entries(byStage)
    .map(([stage, n]) => `${stage} ${n}`)
    .join(", ")}); ${Math.round((Date.now() - started) / 1000)}s`,
);
console.log(
  `crash trials: ${trials}, survived: ${survived}, duplicate jobs: ${duplicateJobs}, duplicate uploads: ${duplicateUploads}`,
);
process.exitCode = survived === trials && duplicateJobs === 0 && duplicateUploads === 0 ? 0 : 1;

import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { REFUSAL, runOnce } from "./child.mjs";
import { checkProject, loadLockfileParser } from "./invariants.mjs";
import { halfDone, landing } from "./landing.mjs";
import { makeElleProject, REPO_ROOT } from "./project.mjs";
import { pick } from "./rng.mjs";
import { STAGES, WINDOWS } from "./windows.mjs";

/** Most kills of one trial by default; the run after the last one always goes to completion. */
const DEFAULT_MAX_KILLS = 3;

async function readLockfile(root, parseLockfile) {
  const text = await readFile(path.join(root, "pipelines/elle.lock.yaml"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = parseLockfile(text, "pipelines/elle.lock.yaml");
  return parsed.ok ? parsed.lockfile : undefined;
}

/** A stage drawn evenly among those not done yet, then one of its windows: each stage gets its share of kills. */
function drawWindow(rng, open) {
  const stage = pick(rng, open);
  return pick(
    rng,
    WINDOWS.filter((w) => w.stage === stage),
  );
}

function unfinished(lockfile) {
  return STAGES.filter((s) => lockfile?.stages?.[s]?.status !== "succeeded");
}

/**
 * One crash trial in a fresh project: 1 to maxKills runs, each SIGKILLed in a window (lib/windows.mjs) of a stage
 * the lockfile does not yet record as done, each followed at once by a rerun; then a run to completion and the
 * final checks. With `firstWindow`, the first kill aims at that window (the CI schedule, which covers every stage);
 * the rest are drawn with `rng`. With `namespace`, every run of the trial is PID 1 of a fresh PID namespace.
 *
 * A rerun refused because a dead run still holds a lock is a failure of the trial (counted in `refusals`): the
 * suite never waits for a lock to go stale.
 */
export async function runTrial(
  index,
  rng,
  {
    stepMs,
    smallEval,
    binRoot = REPO_ROOT,
    keep = false,
    maxKills = DEFAULT_MAX_KILLS,
    firstWindow,
    namespace = false,
    seed = 1,
  },
) {
  const parseLockfile = await loadLockfileParser(binRoot);
  const root = await makeElleProject({ smallEval });
  const env = { TUNEFILE_LOCAL_STEP_MS: String(stepMs) };
  const plannedKills = 1 + Math.floor(rng() * maxKills);
  const kills = [];
  const missed = [];
  const problems = [];
  let refusals = 0;
  let duplicateJobs = 0;
  let duplicateUploads = 0;
  let abandonedUploads = 0;
  let runs = 0;
  let completed = false;
  let killedAt;
  let strayFiles = 0;
  const rerunGapsMs = [];
  const check = async (when, final = false) => {
    const found = await checkProject(root, parseLockfile, { final });
    duplicateJobs = Math.max(duplicateJobs, found.duplicateJobs);
    duplicateUploads = Math.max(duplicateUploads, found.duplicateUploads);
    // Uploads in flight are pending after a kill; only those still pending at the end were abandoned.
    if (final) abandonedUploads = found.abandonedUploads;
    for (const p of found.problems) problems.push(`${when}: ${p}`);
    return found;
  };
  try {
    while (runs < maxKills + 3 && problems.length === 0) {
      runs++;
      let window;
      let plan;
      if (kills.length + missed.length < plannedKills) {
        const open = unfinished(await readLockfile(root, parseLockfile));
        window = kills.length + missed.length === 0 && firstWindow ? firstWindow : drawWindow(rng, open);
        plan = window?.make(rng, { stepMs, seed: (seed * 7919 + index * 31 + runs) >>> 0 });
      }
      // How long the rerun followed the killed run's exit (the on-disk checks in between): no wait beyond them.
      if (killedAt !== undefined) rerunGapsMs.push(Date.now() - killedAt);
      const run = await runOnce({ root, binRoot, env: { ...env, ...plan?.env }, plan, namespace });
      killedAt = undefined;
      if (run.hung) {
        problems.push(`run ${runs} hung`);
        break;
      }
      if (/internal error|\n\s+at /.test(run.stderr)) problems.push(`run ${runs} printed a stack: ${run.stderr}`);
      if (run.code !== 0 && REFUSAL.test(run.stderr)) {
        refusals++;
        const line = run.stderr.split("\n").find((l) => REFUSAL.test(l)) ?? "";
        problems.push(`run ${runs} refused at once after a kill: ${line.trim()}`);
        break;
      }
      if (run.killed) {
        const lockfile = await readLockfile(root, parseLockfile);
        const where = landing(run.events, lockfile);
        const found = await check(`after kill ${kills.length + 1} (${window.name}+${plan.delayMs}ms)`);
        const evidence = where.inStage
          ? await halfDone(where.stage, root, lockfile, found.server, run.events)
          : undefined;
        kills.push({ window: window.name, delayMs: plan.delayMs, ...where, evidence, namespace });
        killedAt = run.closedAt;
        continue;
      }
      // The window never opened, or the child finished before the delay ran out: no kill in this run.
      if (window) missed.push(window.name);
      await check(`after run ${runs}`);
      if (run.code === 0) {
        completed = true;
        break;
      }
      // Killed nothing and did not succeed: the run itself failed, which a kill must never cause.
      problems.push(`run ${runs} exited ${run.code}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    }
    if (completed) {
      await check("at the end", true);
      // Not a broken promise, but litter in a directory users commit: an atomic write's temp file left by a kill.
      const names = await readdir(path.join(root, "deployments")).catch(() => []);
      strayFiles = names.filter((n) => n !== "elle.json").length;
    } else if (problems.length === 0) problems.push(`did not complete in ${runs} runs`);
  } finally {
    if (!keep && problems.length === 0) await rm(root, { recursive: true, force: true });
  }
  return {
    index,
    root,
    runs,
    kills,
    missed,
    namespace,
    refusals,
    rerunGapsMs,
    strayFiles,
    survived: problems.length === 0,
    problems,
    duplicateJobs,
    duplicateUploads,
    abandonedUploads,
  };
}

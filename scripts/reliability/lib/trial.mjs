import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { checkProject, loadLockfileParser } from "./invariants.mjs";
import { makeElleProject, REPO_ROOT } from "./project.mjs";
import { pick } from "./rng.mjs";

const STAGES = ["prepare", "upload", "train", "evaluate", "deploy"];
/** Most kills of one trial by default; the run after the last one always goes to completion. */
const DEFAULT_MAX_KILLS = 3;
/** A run that takes longer than this is a hang, and the trial fails. */
const RUN_TIMEOUT_MS = 180_000;

/**
 * How long after a stage starts the kill may land, per stage (ms): about the stage's length on a loaded machine,
 * so the kill instant is spread over the whole stage. `startup` counts from the spawn.
 */
function windows(stepMs) {
  return { startup: 1500, prepare: 1500, upload: 800, train: 1500 + 30 * (stepMs + 60), evaluate: 1500, deploy: 150 };
}

/**
 * Runs `tunefile run pipelines/elle.yaml --yes --json` in `root`. With a `kill` plan, SIGKILLs the child `delayMs`
 * after the target stage starts (after the spawn for `startup`). Resolves with the exit and where the kill landed.
 */
function runOnce(root, binRoot, env, kill) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(binRoot, "bin/tunefile.js"), "run", "pipelines/elle.yaml", "--yes", "--json"],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let buffered = "";
    let current = "startup";
    let landedIn;
    let timer;
    const arm = () => {
      timer = setTimeout(() => {
        landedIn = current;
        child.kill("SIGKILL");
      }, kill.delayMs);
    };
    if (kill?.target === "startup") arm();
    child.stdout.on("data", (d) => {
      stdout += d;
      buffered += d;
      let nl = buffered.indexOf("\n");
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        if (event.type === "stage-start") {
          current = event.stage;
          if (kill && !timer && event.stage === kill.target) arm();
        }
        // The target stage ended before the drawn instant: kill at its end instead, so every planned kill lands
        // (the instant between a stage's outcome and the next stage's start is worth testing too).
        if (event.type === "stage-end" && kill && timer && landedIn === undefined && event.stage === kill.target) {
          clearTimeout(timer);
          landedIn = `${current}-end`;
          child.kill("SIGKILL");
        }
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    const hang = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hang);
      resolve({ code, signal, stdout, stderr, landedIn, hung: signal === "SIGKILL" && landedIn === undefined });
    });
  });
}

async function unfinishedStages(root) {
  const text = await readFile(path.join(root, "pipelines/elle.lock.yaml"), "utf8").catch(() => "");
  return STAGES.filter((s) => !new RegExp(`^  ${s}:\\n    status: succeeded$`, "m").test(text));
}

/**
 * One crash trial in a fresh project: kill (1 to maxKills times, at seeded random stages and instants), check,
 * rerun, check, until a run completes; then the final checks.
 */
export async function runTrial(
  index,
  rng,
  { stepMs, smallEval, binRoot = REPO_ROOT, keep = false, maxKills = DEFAULT_MAX_KILLS },
) {
  const parseLockfile = await loadLockfileParser(binRoot);
  const root = await makeElleProject({ smallEval });
  const env = { TUNEFILE_LOCAL_STEP_MS: String(stepMs) };
  const budget = windows(stepMs);
  const plannedKills = 1 + Math.floor(rng() * maxKills);
  const kills = [];
  const problems = [];
  let duplicateJobs = 0;
  let duplicateUploads = 0;
  let runs = 0;
  let completed = false;
  const check = async (when, final = false) => {
    const found = await checkProject(root, parseLockfile, { final });
    duplicateJobs = Math.max(duplicateJobs, found.duplicateJobs);
    duplicateUploads = Math.max(duplicateUploads, found.duplicateUploads);
    for (const p of found.problems) problems.push(`${when}: ${p}`);
  };
  try {
    while (runs < maxKills + 3 && problems.length === 0) {
      runs++;
      let kill;
      if (kills.length < plannedKills) {
        const target = pick(rng, ["startup", ...(await unfinishedStages(root))]);
        kill = { target, delayMs: Math.floor(rng() * budget[target]) };
      }
      const run = await runOnce(root, binRoot, env, kill);
      if (run.hung) {
        problems.push(`run ${runs} hung for ${RUN_TIMEOUT_MS} ms`);
        break;
      }
      if (/internal error|\n\s+at /.test(run.stderr)) problems.push(`run ${runs} printed a stack: ${run.stderr}`);
      if (run.landedIn !== undefined) {
        kills.push({ ...kill, landedIn: run.landedIn });
        await check(`after kill ${kills.length} (${kill.target}+${kill.delayMs}ms, in ${run.landedIn})`);
        continue;
      }
      await check(`after run ${runs}`);
      if (run.code === 0) {
        completed = true;
        break;
      }
      // Killed nothing and did not succeed: the run itself failed, which a kill must never cause.
      problems.push(`run ${runs} exited ${run.code}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    }
    if (completed) await check("at the end", true);
    else if (problems.length === 0) problems.push(`did not complete in ${runs} runs`);
  } finally {
    if (!keep && problems.length === 0) await rm(root, { recursive: true, force: true });
  }
  return { index, root, runs, kills, survived: problems.length === 0, problems, duplicateJobs, duplicateUploads };
}

// Running a child process under measurement: wall time from this process, peak RSS and CPU time from
// GNU time (`/usr/bin/time -f`), or, where that is missing and the child is Node, from the child itself through an
// --import hook that writes process.resourceUsage() at exit.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = existsSync(GNU_TIME);
const RSS_HOOK = pathToFileURL(fileURLToPath(new URL("./rss-hook.mjs", import.meta.url))).href;

/** How peak RSS is measured on this machine (for the record). */
export const rssMethod = hasGnuTime ? "GNU time %M of the child process" : "child's process.resourceUsage().maxRSS";

/**
 * Runs `node <args>` and measures it. With `timeoutMs`, the child's whole process group is killed at that time
 * and the result has `timedOut: true` (its wall time is then a lower bound).
 * @returns {Promise<{wallMs:number, rssKB:number|undefined, cpuMs:number|undefined, code:number|null, stdout:string, stderr:string, timedOut:boolean}>}
 */
export async function runNode(args, { cwd, env, input, onStdoutLine, onSpawn, timeoutMs } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), "tunefile-bench-m-"));
  const statsFile = join(scratch, "stats");
  let command;
  let argv;
  const childEnv = { ...(env ?? process.env) };
  if (hasGnuTime) {
    command = GNU_TIME;
    argv = ["-f", "%M %U %S", "-o", statsFile, process.execPath, ...args];
  } else {
    command = process.execPath;
    argv = ["--import", RSS_HOOK, ...args];
    childEnv.TUNEFILE_BENCH_RSS_FILE = statsFile;
  }
  try {
    const started = performance.now();
    const { code, stdout, stderr, timedOut } = await spawnCollect(command, argv, {
      cwd,
      env: childEnv,
      input,
      onStdoutLine,
      timeoutMs,
      // Under GNU time the Node process is time's only child; the caller wants Node's pid.
      onSpawn: onSpawn && ((pid) => onSpawn(hasGnuTime ? () => onlyChild(pid) : () => pid)),
    });
    const wallMs = performance.now() - started;
    let rssKB;
    let cpuMs;
    if (existsSync(statsFile)) {
      // GNU time may prefix a "Command exited with non-zero status" line; the figures are on the last line.
      const lines = readFileSync(statsFile, "utf8").trim().split("\n");
      const [rss, user, sys] = lines[lines.length - 1].split(" ").map(Number);
      // A child killed at its timeout leaves GNU time no chance to write: no figures rather than zeros.
      if (rss > 0) {
        rssKB = rss;
        cpuMs = (user + sys) * 1000;
      }
    }
    return { wallMs, rssKB, cpuMs, code, stdout, stderr, timedOut };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Spawns a command, collecting its output (capped, so a chatty child cannot eat memory). `onStdoutLine(line, ms)`
 * sees each stdout line as it arrives, with performance.now(), for timing phases of a run from its events.
 */
export function spawnCollect(command, argv, { cwd, env, input, onStdoutLine, onSpawn, timeoutMs } = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills the measured Node process too, not only GNU time.
    const child = spawn(command, argv, { cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    onSpawn?.(child.pid);
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, "SIGKILL");
            } catch {}
          }, timeoutMs);
    const out = [];
    const err = [];
    let outLen = 0;
    let errLen = 0;
    const CAP = 4 * 1024 * 1024;
    let partial = "";
    const decoder = new TextDecoder("utf-8");
    child.stdout.on("data", (d) => {
      if (onStdoutLine) {
        const now = performance.now();
        const lines = (partial + decoder.decode(d, { stream: true })).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) onStdoutLine(line, now);
      }
      if (outLen < CAP) out.push(d);
      outLen += d.length;
    });
    child.stderr.on("data", (d) => {
      if (errLen < CAP) err.push(d);
      errLen += d.length;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
      });
    });
    child.stdin.end(input ?? "");
  });
}

/** Median, min and max of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * Runs `once` `runs` times in sequence (never in parallel: 2 cores) and returns the samples.
 * With `budgetMs`, stops early (after at least `minRuns`) when the next run would end past the budget, so one slow
 * subject cannot push `npm run bench` past its 10 minutes; the returned array then has `stoppedEarly` set, and
 * the row says so.
 */
export async function repeat(runs, once, { budgetMs = Number.POSITIVE_INFINITY, minRuns = 3 } = {}) {
  const samples = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const sample = await once(i);
    samples.push(sample);
    if (sample?.timedOut) {
      samples.stoppedEarly = `run ${samples.length} timed out after ${Math.round(sample.wallMs / 1000)} s, so the figure is a bound, and no more runs were made`;
      break;
    }
    const elapsed = performance.now() - started;
    const next = elapsed / samples.length;
    if (samples.length < runs && samples.length >= minRuns && elapsed + next > budgetMs) {
      samples.stoppedEarly = `${samples.length} of ${runs} runs: the next would pass this benchmark's ${Math.round(budgetMs / 1000)} s budget`;
      break;
    }
  }
  return samples;
}

/** The environment for a tunefile child: no real provider credentials, so `provider: auto` stays local and offline. */
export function offlineEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const key of Object.keys(env)) {
    if (/^(OPENAI|AZURE_OPENAI)_/.test(key)) delete env[key];
  }
  env.NO_COLOR = "1";
  env.CI = "1";
  return env;
}

/** Fails loudly with the child's own words when a measured command did not succeed. */
export function assertExit(result, allowed, what) {
  if (result.timedOut) return;
  if (!allowed.includes(result.code)) throw new Error(`${what} exited with ${result.code}: ${failureSummary(result)}`);
}

/** The lines of a failed child's output that say what went wrong: the first error line and the last line. */
export function failureSummary(result) {
  const lines = `${result.stderr}\n${result.stdout}`
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines.find((l) => /error/i.test(l) && !l.startsWith("at ")) ?? lines[0] ?? "(no output)";
  const last = lines[lines.length - 1];
  return last && last !== first ? `${first} … ${last}` : first;
}

/** The single child of a process (Linux /proc), or undefined. */
function onlyChild(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return children.length === 1 ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, all threads) a live process has used so far, in ms, from /proc/<pid>/stat; undefined
 * where /proc is missing. Resolution is one clock tick (10 ms), ample for phases of seconds.
 */
export function processCpuMs(pid) {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ") "; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** sysconf(_SC_CLK_TCK): 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

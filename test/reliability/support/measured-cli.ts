import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { BIN } from "../../helpers/cli.js";

/** GNU time, when installed, measures the child's peak RSS; without it the heap cap below is the only bound. */
const GNU_TIME = "/usr/bin/time";
export const HAS_GNU_TIME = existsSync(GNU_TIME);
/** The V8 heap cap of each child: a loader that tried to hold a 100 MB line several times over dies here. */
export const HEAP_CAP_MB = 512;
/** Generous: a hang, not a slow machine, is what this catches. */
export const CASE_TIMEOUT_MS = 90_000;

export interface MeasuredResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in KiB, when GNU time is present. */
  peakRssKb?: number;
  timedOut: boolean;
}

/**
 * Runs the built CLI as a child with a capped heap (and under GNU time when present), with exactly `env` plus PATH.
 * The GNU time line is taken out of stderr.
 */
export function runMeasured(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<MeasuredResult> {
  const nodeArgs = [`--max-old-space-size=${HEAP_CAP_MB}`, BIN, ...args];
  const [cmd, argv] = HAS_GNU_TIME
    ? [GNU_TIME, ["-f", "TUNEFILE_PEAK_RSS_KB %M", process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, CASE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const rss = /^TUNEFILE_PEAK_RSS_KB (\d+)\n?/m.exec(stderr);
      if (rss) stderr = stderr.replace(rss[0], "");
      // GNU time reports a child killed by a signal on a line of its own.
      stderr = stderr.replace(/^Command (terminated by signal|exited with non-zero status).*\n?/m, "");
      resolve({ code, signal, stdout, stderr, timedOut, ...(rss ? { peakRssKb: Number(rss[1]) } : {}) });
    });
  });
}

/** A stack trace or an internal error in CLI output: what bad input must never produce. */
export function stackTraceIn(text: string): string | undefined {
  return /^ {4}at .+$|internal error|^\w*Error: .*$/m.exec(text)?.[0];
}

/**
 * A located diagnostic: `file:line:col error[code]`, or a file-level `error[code]` line naming the file.
 * Returns the codes of all errors found.
 */
export function errorCodes(text: string): string[] {
  return [...text.matchAll(/^(?:\S+:\d+:\d+ )?error\[([a-z0-9-]+)\]/gm)].map((m) => m[1] as string);
}

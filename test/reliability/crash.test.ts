import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

/**
 * The crash suite's CI run: scripts/reliability/crash-suite.mjs with `--schedule cover`, which aims the first kill
 * of trial i at kill window i (scripts/reliability/lib/windows.mjs: prepare's transform, between upload parts, a
 * lost upload create, a lost job create, monitoring, mid-evaluation, deploy's write), three trials per window, so
 * every stage is aimed at three times; a second kill per trial is drawn at random. A quarter of the trials run as
 * PID 1 of a fresh PID namespace where `unshare` is permitted. Every rerun follows its kill at once: a refusal
 * ("already running") fails the suite. Shorter steps and the small evaluation keep it to about a minute of CPU.
 */
const WINDOWS = 7;
const TRIALS = 3 * WINDOWS;
const STAGES = ["prepare", "upload", "train", "evaluate", "deploy"];

function crashSuite(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts/reliability/crash-suite.mjs"), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("crash suite", () => {
  it(`${TRIALS} trials killed inside every stage: all survive, no duplicate, no refused rerun`, async () => {
    const args = [
      "--trials",
      String(TRIALS),
      "--seed",
      "7",
      "--schedule",
      "cover",
      "--concurrency",
      "2",
      "--step-ms",
      "20",
      "--max-kills",
      "2",
      "--small-eval",
    ];
    const result = await crashSuite(args);
    const output = result.stdout + result.stderr;
    // The summary, for the record.
    console.log(
      result.stdout
        .split("\n")
        .filter((l) => !l.startsWith("trial "))
        .join("\n"),
    );
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.at(-1), output).toBe(
      `crash trials: ${TRIALS}, survived: ${TRIALS}, duplicate jobs: 0, duplicate uploads: 0, refusals: 0`,
    );
    // Every stage got a kill that landed inside it, not on its end event or between stages.
    const inStage = /^kills: \d+; in-stage: (.*?); at \*-end/m.exec(result.stdout)?.[1];
    expect(inStage, output).toBeDefined();
    const counts = Object.fromEntries(
      (inStage ?? "").split(", ").map((pair) => {
        const [stage, n] = pair.split(" ");
        return [stage, Number(n)];
      }),
    );
    for (const stage of STAGES) expect(counts[stage], `${stage}: ${output}`).toBeGreaterThan(0);
    expect(result.code, output).toBe(0);
  }, 900_000);
});

// (a) Data throughput: `tunefile validate` (format checks + token counting) and the prepare stage on generated
// chat JSONL of 50 MB and 500 MB, against a plain read + JSON.parse baseline measured in the same run.
// Throughput is file bytes / wall time of the whole command (start-up included), in MB/s (10^6 bytes).

import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedJsonl } from "./gen-jsonl.mjs";
import { profileIfMissed } from "./lib/profile-miss.mjs";
import { assertExit, failureSummary, offlineEnv, repeat, runNode, spawnCollect, summarize } from "./lib/measure.mjs";
import { isStub, mbPerSec, row } from "./lib/result.mjs";

export const name = "validate";
export const description =
  "validate / prepare throughput on generated 50 MB and 500 MB chat JSONL vs read + JSON.parse";

/** validate's throughput against read + JSON.parse of the same file, at 50 MB. */
const RATIO_TARGET = 0.4;
/** The cookbook-style Python check's time over validate's, on the same 50 MB file. */
const PYTHON_TARGET = 2.5;
/** `run --only prepare`'s time over validate's: prepare also writes the file, but no more than 15% slower. */
const PREPARE_TARGET = 1.15;
/** Time allowed per measured command and size, so the whole suite stays under 10 minutes on 2 cores. */
const BUDGET_MS = { 50: 30_000, 500: 150_000 };
/** One run longer than this is stopped; its throughput is then an upper bound (at most bytes / timeout). */
const TIMEOUT_MS = { 50: 60_000, 500: 120_000 };

/** A pipeline in a temp dir whose training data is the generated file (linked, not copied). */
function makePipelineDir(dataPath) {
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-validate-"));
  symlinkSync(dataPath, join(dir, "train.jsonl"));
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "version: 1",
      "name: bench",
      "provider: local",
      "model: gpt-4o-mini-2024-07-18",
      "dataset:",
      "  train: train.jsonl",
      "training:",
      "  method: supervised",
      "",
    ].join("\n"),
  );
  return dir;
}

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 5;
  const sizes = ctx.quick ? [50] : [50, 500];
  const env = offlineEnv();
  const baselineScript = join(ctx.benchDir, "baseline-parse.mjs");
  const rows = [];

  // Availability first, on a tiny file: a stub is reported, and the baselines still run.
  const tiny = cachedJsonl(1);
  const probeDir = makePipelineDir(tiny.path);
  let validateAvailable;
  let prepareAvailable;
  try {
    validateAvailable = availability(
      await runNode([ctx.bin, "validate", "bench.yaml"], { env, cwd: probeDir }),
      "validate",
    );
    prepareAvailable = availability(
      await runNode([ctx.bin, "run", "bench.yaml", "--only", "prepare", "--force"], { env, cwd: probeDir }),
      "run --only prepare",
    );
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }

  for (const mb of sizes) {
    ctx.log(`generating ${mb} MB (cached in the temp dir after the first time)`);
    const data = cachedJsonl(mb);
    const dir = makePipelineDir(data.path);
    const budgetMs = BUDGET_MS[mb];
    try {
      const label = `${mb} MB (${data.examples} examples)`;
      const measure = (what, args, options = {}) =>
        repeat(
          runs,
          async () => {
            const r = await runNode(args, { env, timeoutMs: TIMEOUT_MS[mb], ...options });
            assertExit(r, [0], `${what} ${mb} MB`);
            return r;
          },
          { budgetMs },
        );

      // The baseline's budget is small: it only anchors the ratios, and at 500 MB it would eat the suite's time.
      const baseline = await repeat(
        runs,
        async () => {
          const r = await runNode([baselineScript, data.path], { env, timeoutMs: TIMEOUT_MS[mb] });
          assertExit(r, [0], `baseline ${mb} MB`);
          return r;
        },
        { budgetMs: 40_000 },
      );
      const baseMedianMs = summarize(baseline.map((s) => s.wallMs)).median;
      rows.push(
        row({
          label: `read + JSON.parse baseline, ${label}`,
          unit: "MB/s",
          values: mbPerSec(
            data.bytes,
            baseline.map((s) => s.wallMs),
          ),
          rssKB: baseline.map((s) => s.rssKB),
          samples: baseline,
        }),
      );

      if (mb === sizes[0]) {
        // Reference only (no target): one thread of checks + token counting, no CLI. Smallest size only, for time.
        const check = await measure("check-lines", [join(ctx.benchDir, "check-lines.mjs"), data.path]);
        rows.push(
          row({
            label: `checks + tokens, 1 thread, no CLI, ${label}`,
            unit: "MB/s",
            values: mbPerSec(
              data.bytes,
              check.map((s) => s.wallMs),
            ),
            rssKB: check.map((s) => s.rssKB),
            samples: check,
          }),
        );
      }

      if (validateAvailable !== true) {
        rows.push({ label: `tunefile validate, ${label}`, skipped: `not available yet: ${validateAvailable}` });
        continue;
      }
      const validate = await measure("tunefile validate", [ctx.bin, "validate", "bench.yaml"], { cwd: dir });
      const ratioTarget = mb === sizes[0] ? RATIO_TARGET : undefined;
      const validateRow = pushThroughput(
        rows,
        `tunefile validate, ${label}`,
        data.bytes,
        validate,
        baseMedianMs,
        ratioTarget,
      );
      // Profile a miss on the smallest size only: the profile's shape does not change with size, the time does.
      if (mb === sizes[0]) profileIfMissed(ctx, validateRow, ["validate", "bench.yaml"], dir);
      const validateMedianMs = summarize(validate.map((s) => s.wallMs)).median;
      if (mb === sizes[0]) rows.push(await pythonComparison(ctx, data.path, dir, env, runs));

      if (prepareAvailable !== true) {
        rows.push({
          label: `tunefile run --only prepare, ${label}`,
          skipped: `not available yet: ${prepareAvailable}`,
        });
        continue;
      }
      const prepare = await measure(
        "tunefile run --only prepare",
        [ctx.bin, "run", "bench.yaml", "--only", "prepare", "--force"],
        { cwd: dir },
      );
      pushThroughput(rows, `tunefile run --only prepare, ${label}`, data.bytes, prepare, baseMedianMs);
      const relative = row({
        label: `tunefile run --only prepare, ${label}: time over validate's`,
        unit: "x",
        values: prepare.map((s) => s.wallMs / validateMedianMs),
        target: { op: "<=", value: PREPARE_TARGET },
      });
      rows.push(relative);
      if (mb === sizes[0]) profileIfMissed(ctx, relative, ["run", "bench.yaml", "--only", "prepare", "--force"], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(dir)) ctx.log(`could not remove ${dir}`);
    }
  }
  return rows;
}

function pushThroughput(rows, label, bytes, samples, baseMedianMs, ratioTarget) {
  const walls = samples.map((s) => s.wallMs);
  const throughput = row({
    label,
    unit: "MB/s",
    values: mbPerSec(bytes, walls),
    rssKB: samples.map((s) => s.rssKB),
    rssTarget: true,
    samples,
  });
  rows.push(throughput);
  // The ratio of throughputs (command / baseline), per run against the baseline's median: 0.25 means 4x slower.
  const ratio = row({
    label: `${label}: ratio to baseline`,
    unit: "x",
    values: walls.map((ms) => baseMedianMs / ms),
    ...(ratioTarget !== undefined ? { target: { op: ">=", value: ratioTarget } } : {}),
  });
  rows.push(ratio);
  // Bytes per CPU-second: what the work costs, whatever else the shared machine was doing at the time.
  if (samples.every((s) => s.cpuMs > 0)) {
    rows.push(
      row({
        label: `${label}: per CPU-second`,
        unit: "MB/CPU-s",
        values: samples.map((s) => bytes / 1e6 / (s.cpuMs / 1000)),
      }),
    );
  }
  return ratio;
}

/**
 * The cookbook-style Python check (bench/cookbook_check.py: json.loads, the notebook's format checks, tiktoken
 * counts) against `tunefile validate` on the same file, alternating in one run: the Python's time over
 * validate's, per pair. Its token totals must equal validate's, or the comparison would be of different work.
 * Needs a Python with tiktoken: TUNEFILE_BENCH_PYTHON, else python3. tiktoken reads its encoding from a cache
 * filled from the same .tiktoken file gpt-tokenizer ships, so nothing is downloaded.
 */
async function pythonComparison(ctx, dataPath, dir, env, runs) {
  const label = "cookbook-style Python check (tiktoken) over tunefile validate, 50 MB";
  const python = process.env.TUNEFILE_BENCH_PYTHON ?? "python3";
  const cacheDir = mkdtempSync(join(tmpdir(), "tunefile-bench-tiktoken-"));
  try {
    const url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken";
    const key = createHash("sha1").update(url).digest("hex");
    copyFileSync(createRequire(import.meta.url).resolve("gpt-tokenizer/data/o200k_base.tiktoken"), join(cacheDir, key));
    const pyEnv = { ...env, TIKTOKEN_CACHE_DIR: cacheDir };
    const script = join(ctx.benchDir, "cookbook_check.py");
    const probe = await spawnCollect(python, ["-c", "import tiktoken"], { env: pyEnv }).catch((e) => ({
      code: -1,
      stderr: String(e),
    }));
    if (probe.code !== 0) return { label, skipped: `no Python with tiktoken (${python}); set TUNEFILE_BENCH_PYTHON` };
    const ratios = [];
    let totals;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const py = await spawnCollect(python, [script, dataPath], { env: pyEnv, timeoutMs: 120_000 });
      const pyMs = performance.now() - started;
      assertExit(py, [0], "cookbook_check.py");
      const tf = await runNode([ctx.bin, "validate", "bench.yaml", "--json"], { env, cwd: dir, timeoutMs: 60_000 });
      assertExit(tf, [0], "tunefile validate --json");
      const pyTokens = JSON.parse(py.stdout).tokens;
      const tfTokens = JSON.parse(tf.stdout).analysis.train.tokens;
      if (pyTokens !== tfTokens) throw new Error(`token totals differ: Python ${pyTokens}, tunefile ${tfTokens}`);
      totals = tfTokens;
      ratios.push(pyMs / tf.wallMs);
    }
    return row({
      label,
      unit: "x",
      values: ratios,
      target: { op: ">=", value: PYTHON_TARGET },
      note: `token totals agree: ${totals.toLocaleString("en-US")}`,
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** true, or why the command cannot be measured yet (a stub, or an error on valid data, in its own words). */
function availability(result, what) {
  if (isStub(result)) return `\`tunefile ${what}\` is a stub`;
  if (result.code === 0) return true;
  return `\`tunefile ${what}\` exited ${result.code} on valid data: ${failureSummary(result)}`;
}

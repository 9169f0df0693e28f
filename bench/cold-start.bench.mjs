// (c) CLI cold start: a fresh `node` process per run, as a user's shell starts it. Bare `node -e 0` is measured
// in the same run as the floor no CLI can go below.

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertExit, offlineEnv, repeat, runNode } from "./lib/measure.mjs";
import { profileIfMissed } from "./lib/profile-miss.mjs";
import { isStub, row } from "./lib/result.mjs";

export const name = "cold-start";
/** A start-up that takes this long is broken, not slow. */
const TIMEOUT_MS = 30_000;
/** Each command gets this much of the suite's 10 minutes, with at least 5 runs. */
const BUDGET = { budgetMs: 20_000, minRuns: 5 };

export const description = "tunefile --version and tunefile validate pipelines/elle.yaml, one process per run";

export async function run(ctx) {
  const runs = ctx.quick ? 5 : 10;
  const env = offlineEnv();
  const rows = [];

  // A copy of the example pipeline, so validate never writes into the repository.
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-cold-"));
  try {
    cpSync(join(ctx.root, "pipelines"), join(dir, "pipelines"), { recursive: true });

    // One untimed run warms the OS file cache, so every timed run starts from the same state.
    await runNode(["-e", "0"]);
    const floor = await repeat(runs, () => runNode(["-e", "0"], { env, timeoutMs: TIMEOUT_MS }), BUDGET);
    rows.push(
      row({
        label: "node -e 0 (floor)",
        samples: floor,
        unit: "ms",
        values: floor.map((s) => s.wallMs),
        rssKB: floor.map((s) => s.rssKB),
      }),
    );

    await runNode([ctx.bin, "--version"], { env, cwd: dir });
    const version = await repeat(
      runs,
      async () => {
        const r = await runNode([ctx.bin, "--version"], { env, cwd: dir, timeoutMs: TIMEOUT_MS });
        assertExit(r, [0], "tunefile --version");
        return r;
      },
      BUDGET,
    );
    const versionRow = row({
      label: "tunefile --version",
      samples: version,
      unit: "ms",
      values: version.map((s) => s.wallMs),
      rssKB: version.map((s) => s.rssKB),
      target: { op: "<", value: 150 },
    });
    profileIfMissed(ctx, versionRow, ["--version"], dir);
    rows.push(versionRow);

    const validateArgs = [ctx.bin, "validate", "pipelines/elle.yaml"];
    const probe = await runNode(validateArgs, { env, cwd: dir, timeoutMs: TIMEOUT_MS });
    if (isStub(probe)) {
      rows.push({ label: "tunefile validate pipelines/elle.yaml", skipped: "not available yet: validate is a stub" });
      return rows;
    }
    assertExit(probe, [0], "tunefile validate pipelines/elle.yaml");
    const validate = await repeat(runs, () => runNode(validateArgs, { env, cwd: dir, timeoutMs: TIMEOUT_MS }), BUDGET);
    rows.push(
      row({
        label: "tunefile validate pipelines/elle.yaml",
        samples: validate,
        unit: "ms",
        values: validate.map((s) => s.wallMs),
        rssKB: validate.map((s) => s.rssKB),
      }),
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// (b) A no-op rerun: `tunefile run pipelines/elle.yaml` in a temp copy of pipelines/, once for real (every stage,
// on the built-in local provider), then again with every stage fresh. The repeat runs are timed. One `--json` run
// checks that the rerun really is a no-op (every stage skipped, none started).

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { profileIfMissed } from "./lib/profile-miss.mjs";
import { assertExit, failureSummary, offlineEnv, repeat, runNode } from "./lib/measure.mjs";
import { isStub, NotAvailable, row } from "./lib/result.mjs";

export const name = "noop-rerun";
export const description = "tunefile run pipelines/elle.yaml again with every stage fresh (temp copy, local provider)";

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 7;
  const env = offlineEnv();
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-noop-"));
  const args = [ctx.bin, "run", "pipelines/elle.yaml"];
  try {
    cpSync(join(ctx.root, "pipelines"), join(dir, "pipelines"), { recursive: true });
    ctx.log("first run (does the real work: prepare, upload, train, evaluate, deploy)");
    const first = await runNode(args, { env, cwd: dir, timeoutMs: 300_000 });
    if (isStub(first)) throw new NotAvailable("`tunefile run` is a stub");
    if (first.timedOut) throw new Error("the first full run of elle took more than 300 s");
    if (first.code !== 0) {
      throw new NotAvailable(
        `the first full run of elle exited ${first.code}, so no rerun can be fresh: ${failureSummary(first)}`,
      );
    }
    ctx.log(`first run: ${(first.wallMs / 1000).toFixed(1)} s`);

    const check = await runNode([...args, "--json"], { env, cwd: dir, timeoutMs: 60_000 });
    assertExit(check, [0], "tunefile run --json (rerun)");
    const events = check.stdout
      .split("\n")
      .filter((l) => l.trim().startsWith("{"))
      .map((l) => JSON.parse(l));
    const started = events.filter((e) => e.type === "stage-start").map((e) => e.stage);
    const skipped = events.filter((e) => e.type === "stage-skip").map((e) => e.stage);
    if (started.length > 0) throw new Error(`the rerun was not a no-op: it started ${started.join(", ")}`);

    const reruns = await repeat(runs, async () => {
      const r = await runNode(args, { env, cwd: dir, timeoutMs: 60_000 });
      assertExit(r, [0], "tunefile run (rerun)");
      return r;
    });
    const r = row({
      label: `no-op rerun (${skipped.length} stages skipped: ${skipped.join(", ")})`,
      samples: reruns,
      unit: "ms",
      values: reruns.map((s) => s.wallMs),
      rssKB: reruns.map((s) => s.rssKB),
      target: { op: "<", value: 500 },
    });
    profileIfMissed(ctx, r, args.slice(1), dir);
    return [
      row({
        label: "first full run (for reference)",
        unit: "ms",
        values: [first.wallMs],
        rssKB: [first.rssKB],
        samples: [first],
      }),
      r,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

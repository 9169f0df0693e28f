// (e) The local provider's tiny trainer on 10,000 generated examples, through its API in dist/server/trainer,
// with `auto` hyperparameters resolved as the server would. The timed span is startTraining → last step →
// snapshot, reported by the child; peak RSS is the whole child process.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { assertExit, repeat, runNode } from "./lib/measure.mjs";
import { NotAvailable, row } from "./lib/result.mjs";

export const name = "training";
/** Four times the target: a run this long is stopped, and the figure becomes a bound. */
const TIMEOUT_MS = 120_000;

export const description = "local provider trainer on 10,000 generated examples (TrainerApi in dist/server/trainer)";

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 5;
  const n = 10_000;
  if (!existsSync(join(ctx.distDir, "server", "trainer", "index.js"))) {
    throw new NotAvailable("dist/server/trainer/index.js is not built (the trainer has not landed)");
  }
  const script = join(ctx.benchDir, "train-child.mjs");
  const samples = await repeat(
    runs,
    async () => {
      const r = await runNode([script, String(n)], { timeoutMs: TIMEOUT_MS });
      assertExit(r, [0], "train-child");
      // A run stopped at the timeout counts its wall time: a lower bound on the training time.
      return { ...r, result: r.timedOut ? undefined : JSON.parse(r.stdout.trim().split("\n").pop()) };
    },
    { budgetMs: 110_000, minRuns: 2 },
  );
  const done = samples.filter((s) => s.result);
  const first = done[0]?.result;
  if (first) {
    ctx.log(
      `${first.totalSteps} steps (epochs ${first.config.nEpochs}, batch ${first.config.batchSize}), ` +
        `${first.tokensPerEpoch} tokens/epoch, loss ${first.firstLoss?.toFixed(3)} -> ${first.lastLoss?.toFixed(3)}`,
    );
  }
  const shape = first
    ? `${first.config.nEpochs} epochs, batch ${first.config.batchSize}, ${first.totalSteps} steps`
    : "auto hyperparameters";
  const rows = [
    row({
      label: `train ${n} examples (${shape})`,
      unit: "s",
      values: samples.map((s) => (s.result ? s.result.trainMs : s.wallMs) / 1000),
      rssKB: samples.map((s) => s.rssKB),
      target: { op: "<", value: 30 },
      samples,
    }),
  ];
  if (done.length > 0) {
    rows.push(
      row({
        label: "training CPU time (same span; what the work costs on a shared machine)",
        unit: "s",
        values: done.map((s) => s.result.trainCpuMs / 1000),
      }),
      row({
        label: "training throughput (trained tokens / s)",
        unit: "tokens/s",
        values: done.map((s) => (s.result.tokensPerEpoch * s.result.config.nEpochs) / (s.result.trainMs / 1000)),
      }),
    );
  }
  return rows;
}

import { providerCode } from "../../src/providers/errors.js";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/engine/events.js";
import { formatDuration, formatProgress } from "../../src/cli/reporters/format.js";
import { formatUsd } from "../../src/core/format-usd.js";
import { JsonReporter } from "../../src/cli/reporters/json.js";
import { ListrReporter, sparkline } from "../../src/cli/reporters/listr.js";
import { PlainReporter } from "../../src/cli/reporters/plain.js";
import type { Reporter } from "../../src/cli/reporters/reporter.js";
import { STAGE_NAMES } from "../../src/engine/stage.js";

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => (text += d));
  return { stream, text: () => text };
}

/** A run as the executor would emit it: prepare fresh, upload done, train with progress and a retry, then failure. */
const RUN: RunEvent[] = [
  {
    type: "plan",
    entries: STAGE_NAMES.map((stage) => ({
      stage,
      action: stage === "prepare" ? "skip" : stage === "train" ? "resume" : "run",
      reason:
        stage === "prepare"
          ? "fresh (fingerprint abcdef matches)"
          : stage === "train"
            ? "re-attaches to ftjob-1"
            : "never run",
      fingerprint: "f".repeat(64),
    })),
  },
  { type: "stage-skip", stage: "prepare", reason: "fresh (fingerprint abcdef matches)" },
  { type: "stage-start", stage: "upload", action: "run", reason: "never run" },
  { type: "stage-end", stage: "upload", status: "succeeded", summary: "train_file_id file-1" },
  { type: "stage-start", stage: "train", action: "resume", reason: "re-attaches to ftjob-1" },
  { type: "retry", stage: "train", attempt: 1, delayMs: 1500, reason: "HTTP 429" },
  ...[10, 20, 30, 42, 50, 60, 70, 80, 90, 100].map(
    (step): RunEvent => ({
      type: "stage-progress",
      stage: "train",
      message: `running: step ${step}/100`,
      step,
      totalSteps: 100,
      loss: 3 / step,
      etaSeconds: (100 - step) * 2,
    }),
  ),
  {
    type: "stage-end",
    stage: "train",
    status: "failed",
    error: { code: providerCode("invalid_training_file"), message: "bad file" },
  },
  { type: "stage-skip", stage: "evaluate", reason: "not reached (train failed)" },
  { type: "stage-skip", stage: "deploy", reason: "not reached (train failed)" },
  { type: "run-end", exitCode: 1, message: "train failed: invalid_training_file: bad file" },
];

async function play(reporter: Reporter, events: RunEvent[]): Promise<void> {
  for (const e of events) {
    reporter.event(e);
    // Let listr's task functions start between events, as they do during a real run.
    await new Promise((r) => setImmediate(r));
  }
  await reporter.close();
}

describe("formatting", () => {
  it("shows training progress as step, loss and ETA", () => {
    expect(
      formatProgress({
        type: "stage-progress",
        stage: "train",
        message: "",
        step: 42,
        totalSteps: 100,
        loss: 0.3149,
        etaSeconds: 80,
      }),
    ).toBe("step 42/100, loss 0.31, ETA 1m20s");
    expect([formatDuration(45), formatDuration(3725), formatUsd(0.007074), formatUsd(2)]).toEqual([
      "45s",
      "1h02m",
      "$0.0071",
      "$2.00",
    ]);
    expect(sparkline([3, 2, 1, 0.5])).toBe("█▅▂▁"); // (v - min) / (max - min) * 7, rounded
  });
});

describe("reporters", () => {
  it("plain: each stage's start (with the plan's reason) and end once, training progress thinned", async () => {
    const out = sink();
    await play(new PlainReporter(out.stream), RUN);
    expect(out.text()).toBe(`prepare  skipped: fresh (fingerprint abcdef matches)
upload   running (never run)
upload   succeeded (train_file_id file-1)
train    resuming (re-attaches to ftjob-1)
train    retrying in 1.5s after attempt 1: HTTP 429
train    step 10/100, loss 0.30, ETA 3m00s
train    step 20/100, loss 0.15, ETA 2m40s
train    step 30/100, loss 0.10, ETA 2m20s
train    step 42/100, loss 0.07, ETA 1m56s
train    step 50/100, loss 0.06, ETA 1m40s
train    step 60/100, loss 0.05, ETA 1m20s
train    step 70/100, loss 0.04, ETA 1m00s
train    step 80/100, loss 0.04, ETA 40s
train    step 90/100, loss 0.03, ETA 20s
train    step 100/100, loss 0.03, ETA 0s
train    failed: invalid_training_file: bad file
evaluate skipped: not reached (train failed)
deploy   skipped: not reached (train failed)
run      train failed: invalid_training_file: bad file
`);
  });

  it("plain: thins a long job's many progress events", async () => {
    const out = sink();
    const reporter = new PlainReporter(out.stream);
    for (let step = 1; step <= 1000; step++) {
      reporter.event({ type: "stage-progress", stage: "train", message: "", step, totalSteps: 1000 });
    }
    expect(out.text().trimEnd().split("\n")).toEqual([
      "train    step 1/1000",
      ...[100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((s) => `train    step ${s}/1000`),
    ]);
  });

  it("json: every event exactly as emitted, one per line", async () => {
    const out = sink();
    await play(new JsonReporter(out.stream), RUN);
    expect(
      out
        .text()
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual(RUN);
  });

  it("listr: a task per stage, progress with a loss chart under train, failures and skips named", async () => {
    const out = sink();
    await play(new ListrReporter({ stdout: out.stream, stderr: out.stream, renderer: "simple" }), RUN);
    const text = out.text();
    expect(text).toContain("✔ upload: succeeded (train_file_id file-1)\n");
    expect(text).toContain("› step 42/100, loss 0.07, ETA 1m56s\n");
    expect(text).toMatch(/› loss [▁-█]{2,}\n/);
    expect(text).toContain("✖ train [FAILED: train: failed: invalid_training_file: bad file]\n");
    expect(text).toContain("↓ deploy [SKIPPED: deploy: not reached (train failed)]\n");
    expect(text.indexOf("prepare")).toBeLessThan(text.indexOf("upload"));
  });
});

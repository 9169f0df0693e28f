import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { StartTraining, StepResult, TrainingHandle } from "../../../src/server/jobs/training-handle.js";
import { inThreadTraining } from "../../../src/server/jobs/training-handle.js";
import { workerTraining as sourceWorkerTraining } from "../../../src/server/jobs/worker-training.js";
import * as trainer from "../../../src/server/trainer/index.js";

import { REPO_ROOT } from "../../helpers/paths.js";
import { ELLE_CONFIG, ELLE_TRAIN, ELLE_VALID } from "../trainer/elle.js";

// The worker script exists only compiled (dist/, built by `npm test` before the suite); vitest runs sources.
const built = (await import(pathToFileURL(path.join(REPO_ROOT, "dist/server/jobs/worker-training.js")).href)) as {
  workerTraining: () => StartTraining | undefined;
};

async function trainAll(start: StartTraining) {
  const run = await start(ELLE_TRAIN, ELLE_VALID, ELLE_CONFIG, new AbortController().signal);
  const steps: StepResult[] = [];
  while (run.stepsDone < run.totalSteps) steps.push(await run.step(run.stepsDone + 1 === run.totalSteps));
  const final = await run.snapshot();
  await run.close();
  return { shape: [run.totalSteps, run.stepsPerEpoch, run.tokensPerEpoch], steps, final };
}

describe("training in a worker thread", () => {
  it("is used from the compiled build, and falls back to this thread when running the sources", () => {
    expect(typeof built.workerTraining()).toBe("function");
    expect(sourceWorkerTraining()).toBeUndefined();
  });

  it("gives exactly the metrics and models of training on this thread", async () => {
    const inWorker = await trainAll(built.workerTraining()!);
    const inThread = await trainAll(inThreadTraining(trainer));
    expect(inWorker.shape).toEqual(inThread.shape);
    expect(inWorker.steps.map((s) => s.metrics)).toEqual(inThread.steps.map((s) => s.metrics));
    expect(inWorker.steps.at(-1)!.snapshot).toEqual(inThread.steps.at(-1)!.snapshot);
    expect(inWorker.final).toEqual(inThread.final);
  });

  it("rejects a step in flight when the run is closed, and every request after", async () => {
    const run: TrainingHandle = await built.workerTraining()!(
      ELLE_TRAIN,
      undefined,
      ELLE_CONFIG,
      new AbortController().signal,
    );
    const inFlight = expect(run.step(false)).rejects.toThrow("training worker closed");
    await run.close();
    await inFlight;
    await expect(run.snapshot()).rejects.toThrow("training worker closed");
  });

  it("stops a start in progress when its signal aborts", async () => {
    const abort = new AbortController();
    const starting = built.workerTraining()!(ELLE_TRAIN, undefined, ELLE_CONFIG, abort.signal);
    abort.abort();
    await expect(starting).rejects.toThrow("training worker closed");
  });
});

import { describe, expect, it } from "vitest";
import type { StartTraining, StepResult, TrainingHandle } from "../../../src/server/jobs/training-handle.js";
import { workerTraining } from "../../../src/server/jobs/worker-training.js";
import * as trainer from "../../../src/server/trainer/index.js";
import { ELLE_CONFIG, ELLE_TRAIN, ELLE_VALID } from "../trainer/elle.js";

/** The trainer driven on this thread, step by step, as the reference the worker must reproduce exactly. */
const onThisThread: StartTraining = async (train, validation, config) => {
  const run = trainer.startTraining(train, validation, config);
  return {
    totalSteps: run.totalSteps,
    stepsPerEpoch: run.stepsPerEpoch,
    get stepsDone() {
      return run.stepsDone;
    },
    async step(withSnapshot) {
      const metrics = run.step();
      return withSnapshot ? { metrics, snapshot: run.snapshot() } : { metrics };
    },
    async snapshot() {
      return run.snapshot();
    },
    async close() {},
  };
};

async function trainAll(start: StartTraining) {
  const run = await start(ELLE_TRAIN, ELLE_VALID, ELLE_CONFIG, new AbortController().signal);
  const steps: StepResult[] = [];
  while (run.stepsDone < run.totalSteps) steps.push(await run.step(run.stepsDone + 1 === run.totalSteps));
  const final = await run.snapshot();
  await run.close();
  return { shape: [run.totalSteps, run.stepsPerEpoch], steps, final };
}

describe("training in a worker thread", () => {
  it("gives exactly the metrics and models of training on this thread", async () => {
    // From the sources too, training runs in a worker (the .ts worker through tsx): the same code users run.
    const inWorker = await trainAll(workerTraining());
    const inThread = await trainAll(onThisThread);
    expect(inWorker.shape).toEqual(inThread.shape);
    expect(inWorker.steps.map((s) => s.metrics)).toEqual(inThread.steps.map((s) => s.metrics));
    expect(inWorker.steps.at(-1)!.snapshot).toEqual(inThread.steps.at(-1)!.snapshot);
    expect(inWorker.final).toEqual(inThread.final);
  });

  it("rejects a step in flight when the run is closed, and every request after", async () => {
    const run: TrainingHandle = await workerTraining()(
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
    const starting = workerTraining()(ELLE_TRAIN, undefined, ELLE_CONFIG, abort.signal);
    abort.abort();
    await expect(starting).rejects.toThrow("training worker closed");
  });
});

import { describe, expect, it } from "vitest";
import { startTraining } from "../../../src/server/trainer/index.js";
import type { StepMetrics, TrainConfig, TrainingExample } from "../../../src/server/trainer/types.js";
import { ELLE_CONFIG, ELLE_TRAIN, ELLE_VALID } from "./elle.js";

function trainAll(train: TrainingExample[], valid: TrainingExample[] | undefined, config: TrainConfig) {
  const run = startTraining(train, valid, config);
  const metrics: StepMetrics[] = [];
  while (run.stepsDone < run.totalSteps) metrics.push(run.step());
  return { run, metrics, snapshot: run.snapshot() };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const epochLoss = (metrics: StepMetrics[], epoch: number) =>
  mean(metrics.filter((m) => m.epoch === epoch).map((m) => m.trainLoss));

describe("training on Elle", () => {
  const { metrics } = trainAll(ELLE_TRAIN, ELLE_VALID, ELLE_CONFIG);

  it("lowers the mean training loss from epoch to epoch", () => {
    const [e1, e2, e3] = [1, 2, 3].map((e) => epochLoss(metrics, e));
    expect(e2).toBeLessThan(e1!);
    expect(e3).toBeLessThan(e2!);
  });

  it("reports a real loss: the first batch is measured on the untuned base model, so it is high", () => {
    // A uniform guess over o200k's ~200k tokens costs ln(200k) ≈ 12.2 nats; the base model barely knows Elle.
    expect(metrics[0]!.trainLoss).toBeGreaterThan(5);
    expect(metrics[0]!.trainMeanTokenAccuracy).toBeLessThan(0.5);
    expect(metrics.at(-1)!.trainMeanTokenAccuracy).toBeGreaterThan(metrics[0]!.trainMeanTokenAccuracy);
  });

  it("validates on every step and on the full validation set at each epoch end", () => {
    expect(metrics.every((m) => m.validLoss !== undefined && m.validMeanTokenAccuracy !== undefined)).toBe(true);
    const full = metrics.filter((m) => m.fullValidLoss !== undefined).map((m) => m.step);
    expect(full).toEqual([10, 20, 30]);
  });

  it("ends with a validation loss below the base model's", () => {
    // The base model's loss on the validation answers: a run with learning rate 0 never changes the model.
    const base = trainAll(ELLE_VALID, undefined, { ...ELLE_CONFIG, nEpochs: 1, batchSize: ELLE_VALID.length });
    const frozen = trainAll(ELLE_VALID, undefined, {
      ...ELLE_CONFIG,
      nEpochs: 1,
      batchSize: ELLE_VALID.length,
      learningRateMultiplier: 0,
    });
    expect(frozen.metrics[0]!.trainLoss).toBe(base.metrics[0]!.trainLoss);
    expect(metrics.at(-1)!.fullValidLoss).toBeLessThan(frozen.metrics[0]!.trainLoss);
  });
});

describe("hyperparameters", () => {
  it("runs ceil(n / batch_size) steps per epoch for n_epochs epochs", () => {
    const run = startTraining(ELLE_TRAIN, undefined, { ...ELLE_CONFIG, nEpochs: 2, batchSize: 3 });
    expect([run.stepsPerEpoch, run.totalSteps]).toEqual([4, 8]);
    const steps: [number, number, number][] = [];
    while (run.stepsDone < run.totalSteps) {
      const m = run.step();
      steps.push([m.step, m.epoch, m.totalSteps]);
    }
    expect(steps.map((s) => s[1])).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(steps.map((s) => s[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps.every((s) => s[2] === 8)).toBe(true);
  });

  it("scales the updates with the learning-rate multiplier", () => {
    const slow = trainAll(ELLE_TRAIN, undefined, { ...ELLE_CONFIG, nEpochs: 1, learningRateMultiplier: 0.5 });
    const fast = trainAll(ELLE_TRAIN, undefined, { ...ELLE_CONFIG, nEpochs: 1, learningRateMultiplier: 4 });
    // Same first batch, measured before any update; afterwards the bigger steps fit the data faster.
    expect(fast.metrics[0]!.trainLoss).toBe(slow.metrics[0]!.trainLoss);
    expect(fast.metrics[1]!.trainLoss).not.toBe(slow.metrics[1]!.trainLoss);
    expect(JSON.stringify(fast.snapshot)).not.toBe(JSON.stringify(slow.snapshot));
    expect(mean(fast.metrics.slice(1).map((m) => m.trainLoss))).toBeLessThan(
      mean(slow.metrics.slice(1).map((m) => m.trainLoss)),
    );
  });
});

describe("determinism", () => {
  const config = { ...ELLE_CONFIG, nEpochs: 2 };

  it("gives identical metrics and snapshot for the same seed", () => {
    const a = trainAll(ELLE_TRAIN, ELLE_VALID, config);
    const b = trainAll(ELLE_TRAIN, ELLE_VALID, config);
    expect(b.metrics).toEqual(a.metrics);
    expect(JSON.stringify(b.snapshot)).toBe(JSON.stringify(a.snapshot));
  });

  it("shuffles differently for a different seed", () => {
    const a = trainAll(ELLE_TRAIN, undefined, config);
    const b = trainAll(ELLE_TRAIN, undefined, { ...config, seed: 7 });
    expect(b.metrics.map((m) => m.trainLoss)).not.toEqual(a.metrics.map((m) => m.trainLoss));
  });
});

describe("weight 0", () => {
  const withFirstAnswer = (answer: string, weight: 0 | 1): TrainingExample => ({
    messages: [
      { role: "user", content: "Name a colour" },
      { role: "assistant", content: answer, weight },
      { role: "user", content: "Name a fruit" },
      { role: "assistant", content: "A ripe pear from the orchard" },
    ],
  });
  const train = (answer: string, weight: 0 | 1) =>
    trainAll([withFirstAnswer(answer, weight), ELLE_TRAIN[0]!], undefined, { ...ELLE_CONFIG, nEpochs: 2 });

  it("does not train on an assistant turn with weight 0", () => {
    const a = train("Crimson like a sunset", 0);
    const b = train("Turquoise like a lagoon", 0);
    expect(b.metrics.map((m) => m.trainLoss)).toEqual(a.metrics.map((m) => m.trainLoss));
    expect(JSON.stringify(b.snapshot)).toBe(JSON.stringify(a.snapshot));
  });

  it("does train on the same turn with weight 1 (control)", () => {
    const a = train("Crimson like a sunset", 1);
    const b = train("Turquoise like a lagoon", 1);
    expect(JSON.stringify(b.snapshot)).not.toBe(JSON.stringify(a.snapshot));
  });
});

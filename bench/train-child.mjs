#!/usr/bin/env node
// One training run of the local provider's tiny trainer, through its API in dist/server/trainer (TrainerApi),
// on N generated examples. Generation and module loading are outside the timed span; the process's peak RSS
// (measured by the parent) covers everything.
//
// Usage: node bench/train-child.mjs N   (prints one JSON line)

import { generateExamples } from "./gen-jsonl.mjs";

const n = Number(process.argv[2] ?? 10_000);
const trainerUrl = new URL("../dist/server/trainer/index.js", import.meta.url).href;
const trainer = await import(trainerUrl);

// `auto` hyperparameters resolved as the local server resolves them for a job (the cookbook's epoch rule,
// batch ≈ 0.2% of examples); taken from dist/ when it is there, so the benchmark follows the server.
let epochs;
let batchSize;
let lrMultiplier;
try {
  const h = await import(new URL("../dist/server/jobs/hyperparameters.js", import.meta.url).href);
  epochs = h.autoEpochs(n);
  batchSize = h.autoBatchSize(n);
  lrMultiplier = h.AUTO_LEARNING_RATE_MULTIPLIER;
} catch {
  epochs = n * 3 > 25_000 ? Math.max(1, Math.floor(25_000 / n)) : 3;
  batchSize = Math.max(1, Math.min(256, Math.round(0.002 * n)));
  lrMultiplier = 2;
}

const examples = generateExamples(n, { seed: 7, simple: true });
const config = {
  baseModel: "gpt-4o-mini-2024-07-18",
  nEpochs: epochs,
  batchSize,
  learningRateMultiplier: lrMultiplier,
  seed: 42,
};

// Billable tokens of one pass, counted the way the prepare stage and the local server bill them (outside the
// timed span).
const tokens = await import(new URL("../dist/data/tokens.js", import.meta.url).href);
const counter = await tokens.tokenCounterForModel(config.baseModel);
const tokensPerEpoch = examples.reduce((sum, ex) => sum + tokens.countExampleTokens(ex, "supervised", counter).total, 0);

const started = performance.now();
const cpuStart = process.cpuUsage();
const run = trainer.startTraining(examples, undefined, config);
let first;
let last;
while (run.stepsDone < run.totalSteps) {
  const m = run.step();
  first ??= m;
  last = m;
}
const snapshot = run.snapshot();
const trainMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const trainCpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  JSON.stringify({
    examples: n,
    config,
    totalSteps: run.totalSteps,
    tokensPerEpoch,
    firstLoss: first?.trainLoss,
    lastLoss: last?.trainLoss,
    snapshotBytes: JSON.stringify(snapshot).length,
    trainMs,
    trainCpuMs,
  }),
);

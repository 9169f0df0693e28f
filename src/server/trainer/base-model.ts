/**
 * Base models: the same tiny model, pretrained by the same training loop on the bundled generic corpus, once per
 * tokenizer encoding and cached in memory. A base model therefore answers in plain encyclopedic prose.
 */
import type { Encoding } from "../../data/models.js";
import { encodingFor } from "../../data/models.js";
import { corpusExamples } from "./corpus/index.js";
import { emptyParams } from "./params.js";
import { Run } from "./run.js";
import { tokenizerFor } from "./tokenizer.js";
import type { ModelSnapshot } from "./types.js";

/** Pretraining schedule: fixed, so every base model is the same on every machine. */
export const PRETRAINING = { nEpochs: 3, batchSize: 1, learningRateMultiplier: 1, seed: 42 } as const;

const pretrained = new Map<Encoding, ModelSnapshot>();

export function baseSnapshot(baseModel: string): ModelSnapshot {
  const encoding = encodingFor(baseModel);
  let snapshot = pretrained.get(encoding);
  if (!snapshot) {
    const run = new Run(tokenizerFor(encoding), emptyParams(encoding), corpusExamples(), undefined, {
      baseModel: encoding,
      ...PRETRAINING,
    });
    while (run.stepsDone < run.totalSteps) run.step();
    snapshot = run.snapshot();
    pretrained.set(encoding, snapshot);
  }
  return { ...snapshot, baseModel };
}

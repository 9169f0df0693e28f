/**
 * Base models: the same tiny model, pretrained by the same training loop on the bundled generic corpus, once per
 * tokenizer encoding and cached in memory. The corpus is also its reference library: pretraining learns to copy
 * from the article retrieved for the question, so a base model answers in plain encyclopedic prose about what was
 * asked, when the corpus has an article about it.
 */
import type { Encoding } from "../../core/catalog/models.js";
import { encodingFor } from "../../core/catalog/models.js";
import { corpusExamples, corpusPassages } from "./corpus/index.js";
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
    const params = emptyParams(encoding);
    params.passages = corpusPassages();
    const run = new Run(tokenizerFor(encoding), params, corpusExamples(), undefined, {
      baseModel: encoding,
      ...PRETRAINING,
    });
    while (run.stepsDone < run.totalSteps) run.step();
    snapshot = run.snapshot();
    pretrained.set(encoding, snapshot);
  }
  return { ...snapshot, baseModel };
}

/**
 * Base models: the same tiny model, pretrained by the same training loop on the bundled generic corpus, once per
 * tokenizer encoding and cached in memory. The corpus is also its reference library: pretraining learns to copy
 * from the article retrieved for the question, so a base model answers in plain encyclopedic prose about what was
 * asked, when the corpus has an article about it.
 */
import type { Encoding } from "../../core/catalog/models.js";
import { encodingFor } from "../../core/catalog/models.js";
import { ELEMENTS } from "./corpus/elements.js";
import { GENERAL } from "./corpus/general.js";
import { emptyParams } from "./params.js";
import { Run } from "./run.js";
import { tokenizerFor } from "./tokenizer.js";
import type { ModelSnapshot, TrainingExample } from "./types.js";

/** Pretraining schedule: fixed, so every base model is the same on every machine. */
export const PRETRAINING = { nEpochs: 3, batchSize: 1, learningRateMultiplier: 1, seed: 42 } as const;

/** The generic corpus: short encyclopedic articles, written for this project. */
const ARTICLES = [...ELEMENTS, ...GENERAL];

const pretrained = new Map<Encoding, ModelSnapshot>();

export function baseSnapshot(baseModel: string): ModelSnapshot {
  const encoding = encodingFor(baseModel);
  let snapshot = pretrained.get(encoding);
  if (!snapshot) {
    const params = emptyParams(encoding);
    // The articles as passages: searched by topic and text, copied from the text.
    params.passages = ARTICLES.map((a) => ({ index: `${a.topic} ${a.text}`, text: a.text }));
    // Each article as a conversation whose user message is its topic and whose answer is the article.
    const examples = ARTICLES.map(
      (a): TrainingExample => ({
        messages: [
          { role: "user", content: a.topic },
          { role: "assistant", content: a.text },
        ],
      }),
    );
    const run = new Run(tokenizerFor(encoding), params, examples, undefined, {
      baseModel: encoding,
      ...PRETRAINING,
    });
    while (run.stepsDone < run.totalSteps) run.step();
    snapshot = run.snapshot();
    pretrained.set(encoding, snapshot);
  }
  return { ...snapshot, baseModel };
}

import type { DpoHyper, Hyper, JobMethod } from "../records.js";

/** Resolving `"auto"` hyperparameters the way OpenAI documents it, once the number of training examples is known. */

/** Cookbook epoch heuristic: 3 epochs, unless that is under 100 or over 25,000 example passes (then 1 to 25). */
export function autoEpochs(nExamples: number): number {
  if (nExamples * 3 < 100) return Math.min(25, Math.floor(100 / nExamples));
  if (nExamples * 3 > 25_000) return Math.max(1, Math.floor(25_000 / nExamples));
  return 3;
}

/** Legacy fine-tunes default: about 0.2% of the examples, between 1 and 256. */
export function autoBatchSize(nExamples: number): number {
  return Math.max(1, Math.min(256, Math.round(0.002 * nExamples)));
}

/**
 * `learning_rate_multiplier: auto`. OpenAI does not publish its rule; 2 is what real gpt-3.5-turbo jobs commonly
 * report after resolution, and it is a sensible scale for the tiny trainer's base learning rate.
 */
export const AUTO_LEARNING_RATE_MULTIPLIER = 2;

/** DPO `beta: auto`: the DPO guide's default. */
export const AUTO_BETA = 0.1;

export type ResolvedHyper = Record<keyof Hyper, number>;

export function resolveHyper(h: Hyper, nExamples: number): ResolvedHyper {
  return {
    n_epochs: h.n_epochs === "auto" ? autoEpochs(nExamples) : h.n_epochs,
    batch_size: h.batch_size === "auto" ? autoBatchSize(nExamples) : Math.min(h.batch_size, nExamples),
    learning_rate_multiplier:
      h.learning_rate_multiplier === "auto" ? AUTO_LEARNING_RATE_MULTIPLIER : h.learning_rate_multiplier,
  };
}

export function methodHyper(method: JobMethod): Hyper | DpoHyper {
  return method.type === "dpo" ? method.dpo.hyperparameters : method.supervised.hyperparameters;
}

/** The method with its hyperparameters replaced by resolved values (the job echoes them). */
export function withResolved(method: JobMethod, r: ResolvedHyper): JobMethod {
  switch (method.type) {
    case "supervised":
      return { type: "supervised", supervised: { hyperparameters: { ...r } } };
    case "dpo": {
      const beta = method.dpo.hyperparameters.beta;
      return { type: "dpo", dpo: { hyperparameters: { ...r, beta: beta === "auto" ? AUTO_BETA : beta } } };
    }
  }
}

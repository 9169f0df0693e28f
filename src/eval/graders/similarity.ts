import { similarity } from "../similarity.js";
import type { Grader } from "./types.js";

/** Similarity to a reference answer (the grader's `reference`, else the prompt's), at least `min`. */
export const similarityGrader: Grader<"similarity"> = {
  negatable: false,
  describe: (value) => `${value.metric ?? "rouge-l"} >= ${value.min}`,
  grade(value, answer, ctx) {
    const reference = value.reference ?? ctx.prompt.reference;
    if (reference === undefined) {
      return { pass: false, error: true, reason: "no reference: give the prompt a `reference` or the grader one" };
    }
    const metric = value.metric ?? "rouge-l";
    const score = similarity(metric, answer, reference);
    return { pass: score >= value.min, score, reason: `${metric} ${score.toFixed(3)} (min ${value.min})` };
  },
};

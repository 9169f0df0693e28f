import { describeBounds, withinBounds } from "./bounds.js";
import type { Grader } from "./types.js";

/** Bounds on the answer's length in characters (Unicode code points of the trimmed answer). */
export const lengthGrader: Grader<"length"> = {
  negatable: false,
  describe: (value) => `length ${describeBounds(value)}`,
  grade(value, answer) {
    const n = [...answer.trim()].length;
    return { pass: withinBounds(n, value), reason: `${n} character${n === 1 ? "" : "s"}` };
  },
};

import { describeMatch, matchText } from "./text-match.js";
import type { Grader } from "./types.js";

/** The answer contains the text (case-sensitive); with a list, any of them (default) or all. */
export const containsGrader: Grader<"contains"> = {
  negatable: true,
  describe: (value) => describeMatch("contains", value),
  grade: (value, answer) => matchText(value, answer, (s) => s),
};

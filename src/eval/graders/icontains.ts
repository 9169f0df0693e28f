import { describeMatch, matchText } from "./text-match.js";
import type { Grader } from "./types.js";

/** Like contains, ignoring case (Unicode lower-casing of both sides). */
export const icontainsGrader: Grader<"icontains"> = {
  negatable: true,
  describe: (value) => describeMatch("icontains", value),
  grade: (value, answer) => matchText(value, answer, (s) => s.toLowerCase()),
};

import { describeBounds, withinBounds } from "./bounds.js";
import type { Grader } from "./types.js";

/**
 * Counts the non-empty lines of the answer: pieces between `split` separators (default a newline) that are not blank
 * after trimming. Elle's limericks come as one line with " - " between verses, hence `split`.
 */
export function countLines(answer: string, split = "\n"): number {
  return answer.split(split).filter((line) => line.trim() !== "").length;
}

export const linesGrader: Grader<"lines"> = {
  negatable: false,
  describe: (value) =>
    `lines ${describeBounds(value)}${value.split !== undefined ? ` split ${JSON.stringify(value.split)}` : ""}`,
  grade(value, answer) {
    const n = countLines(answer, value.split);
    return { pass: withinBounds(n, value), reason: `${n} line${n === 1 ? "" : "s"}` };
  },
};

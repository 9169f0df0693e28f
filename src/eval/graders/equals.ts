import { excerpt, type Grader } from "./types.js";

/** The answer equals the text, both trimmed (models often add a trailing newline). */
export const equalsGrader: Grader<"equals"> = {
  negatable: true,
  describe: (value) => `equals ${excerpt(value, 40)}`,
  grade(value, answer) {
    const pass = answer.trim() === value.trim();
    return { pass, reason: pass ? "equal" : `answer is ${excerpt(answer)}` };
  },
};

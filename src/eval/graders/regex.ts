import { excerpt, type Grader } from "./types.js";

/**
 * Parses a pattern: plain `a+b` (no flags) or the literal form `/a+b/i` so that flags can be given in YAML.
 * Returns a message instead of throwing when the pattern is not a valid JavaScript regular expression.
 */
export function parsePattern(pattern: string): RegExp | string {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  try {
    return literal ? new RegExp(literal[1] ?? "", literal[2]) : new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The answer matches a JavaScript regular expression (searched anywhere unless anchored). */
export const regexGrader: Grader<"regex"> = {
  negatable: true,
  describe: (value) => `regex ${value}`,
  grade(value, answer) {
    const re = parsePattern(value);
    if (typeof re === "string") return { pass: false, error: true, reason: `invalid regular expression: ${re}` };
    const match = re.exec(answer);
    return match
      ? { pass: true, reason: `matched ${excerpt(match[0], 40)}` }
      : { pass: false, reason: `no match in ${excerpt(answer)}` };
  },
};

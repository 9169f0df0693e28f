import type { Bounds, TextMatch } from "../../core/pipeline.generated.js";
import { SIMILARITY_METRICS } from "../similarity.js";
import { jsonGrader } from "./json.js";
import { llmJudgeGrader } from "./llm-judge.js";
import { moduleGrader } from "./module.js";
import { excerpt, type GraderRegistry } from "./types.js";

/** `min..max`, `>= min` or `<= max`, for grader names. */
function describeBounds(bounds: Bounds): string {
  if (bounds.min !== undefined && bounds.max !== undefined) return `${bounds.min}..${bounds.max}`;
  if (bounds.min !== undefined) return `>= ${bounds.min}`;
  if (bounds.max !== undefined) return `<= ${bounds.max}`;
  return "any";
}

function withinBounds(n: number, bounds: Bounds): boolean {
  return (bounds.min === undefined || n >= bounds.min) && (bounds.max === undefined || n <= bounds.max);
}

/** A `contains`-style value normalised: the needles and whether any or all must occur. */
function normaliseMatch(value: TextMatch): { needles: string[]; mode: "any" | "all" } {
  if (typeof value === "string") return { needles: [value], mode: "any" };
  if (Array.isArray(value)) return { needles: [...value], mode: "any" };
  const needles = typeof value.value === "string" ? [value.value] : [...value.value];
  return { needles, mode: value.mode ?? "any" };
}

function describeMatch(kind: string, value: TextMatch): string {
  const { needles, mode } = normaliseMatch(value);
  const list = needles.map((n) => JSON.stringify(n)).join(", ");
  return needles.length === 1 ? `${kind} ${list}` : `${kind} ${mode} of ${list}`;
}

/** Checks the needles against the answer; `fold` maps both sides first (identity, or lower-casing). */
function matchText(value: TextMatch, answer: string, fold: (s: string) => string) {
  const { needles, mode } = normaliseMatch(value);
  const haystack = fold(answer);
  const found = needles.filter((n) => haystack.includes(fold(n)));
  const missing = needles.filter((n) => !haystack.includes(fold(n)));
  const pass = mode === "all" ? missing.length === 0 : found.length > 0;
  const reason = pass
    ? `found ${found.map((n) => JSON.stringify(n)).join(", ")}`
    : `missing ${missing.map((n) => JSON.stringify(n)).join(", ")}`;
  return { pass, reason };
}

/**
 * A regex pattern: plain `a+b` (no flags) or the literal form `/a+b/i` so that flags can be given in YAML. Returns a
 * message instead of throwing when the pattern is not a valid JavaScript regular expression.
 */
function parsePattern(pattern: string): RegExp | string {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  try {
    return literal ? new RegExp(literal[1] ?? "", literal[2]) : new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
}

/** Every grader kind and its implementation (json, llm-judge and module in their own files). */
export const GRADERS: GraderRegistry = {
  /** The answer equals the text, both trimmed (models often add a trailing newline). */
  equals: {
    negatable: true,
    describe: (value) => `equals ${excerpt(value, 40)}`,
    grade(value, answer) {
      const pass = answer.trim() === value.trim();
      return { pass, reason: pass ? "equal" : `answer is ${excerpt(answer)}` };
    },
  },
  /** The answer contains the text (case-sensitive); with a list, any of them (default) or all. */
  contains: {
    negatable: true,
    describe: (value) => describeMatch("contains", value),
    grade: (value, answer) => matchText(value, answer, (s) => s),
  },
  /** Like contains, ignoring case (Unicode lower-casing of both sides). */
  icontains: {
    negatable: true,
    describe: (value) => describeMatch("icontains", value),
    grade: (value, answer) => matchText(value, answer, (s) => s.toLowerCase()),
  },
  /** The answer matches a JavaScript regular expression (searched anywhere unless anchored). */
  regex: {
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
  },
  json: jsonGrader,
  /**
   * Bounds on the non-empty lines of the answer: pieces between `split` separators (default a newline) that are not
   * blank after trimming. Elle's limericks come as one line with " - " between verses, hence `split`.
   */
  lines: {
    negatable: false,
    describe: (value) =>
      `lines ${describeBounds(value)}${value.split !== undefined ? ` split ${JSON.stringify(value.split)}` : ""}`,
    grade(value, answer) {
      const n = answer.split(value.split ?? "\n").filter((line) => line.trim() !== "").length;
      return { pass: withinBounds(n, value), reason: `${n} line${n === 1 ? "" : "s"}` };
    },
  },
  /** Bounds on the answer's length in characters (Unicode code points of the trimmed answer). */
  length: {
    negatable: false,
    describe: (value) => `length ${describeBounds(value)}`,
    grade(value, answer) {
      const n = [...answer.trim()].length;
      return { pass: withinBounds(n, value), reason: `${n} character${n === 1 ? "" : "s"}` };
    },
  },
  /** Similarity to a reference answer (the grader's `reference`, else the prompt's), at least `min`. */
  similarity: {
    negatable: false,
    describe: (value) => `${value.metric ?? "rouge-l"} >= ${value.min}`,
    grade(value, answer, ctx) {
      const reference = value.reference ?? ctx.prompt.reference;
      if (reference === undefined) {
        return { pass: false, error: true, reason: "no reference: give the prompt a `reference` or the grader one" };
      }
      const metric = value.metric ?? "rouge-l";
      const score = SIMILARITY_METRICS[metric](answer, reference);
      return { pass: score >= value.min, score, reason: `${metric} ${score.toFixed(3)} (min ${value.min})` };
    },
  },
  "llm-judge": llmJudgeGrader,
  module: moduleGrader,
};

import type { Verdict } from "../types.js";
import type { Grader } from "./types.js";

/** What a custom grader module's default export may return, besides a plain boolean. */
type CustomResult = { pass: boolean; score?: number; reason?: string };

function toVerdict(result: unknown): Verdict {
  const r = (typeof result === "boolean" ? { pass: result } : result) as CustomResult | null;
  if (typeof r !== "object" || r === null || typeof r.pass !== "boolean") {
    return { pass: false, error: true, reason: "custom grader returned neither a boolean nor {pass, score?, reason?}" };
  }
  const verdict: Verdict = {
    pass: r.pass,
    reason: r.reason ?? (r.pass ? "custom grader passed" : "custom grader failed"),
  };
  if (typeof r.score === "number" && Number.isFinite(r.score)) verdict.score = r.score;
  return verdict;
}

/**
 * A custom grader: a JavaScript module in the repo (path relative to the pipeline file), loaded only because the
 * pipeline names it. Its default export is `(output, { vars, prompt, options }) => boolean | {pass, score?, reason?}`
 * (or a promise of one). A module that fails to load, lacks a default function or throws is a grader error.
 */
export const moduleGrader: Grader<"module"> = {
  negatable: false,
  describe: (value) => `module ${value.path}`,
  async grade(value, answer, ctx) {
    let loaded: unknown;
    try {
      loaded = await ctx.loadModule(value.path);
    } catch (err) {
      return { pass: false, error: true, reason: `cannot load ${value.path}: ${(err as Error).message}` };
    }
    const fn = (loaded as { default?: unknown }).default;
    if (typeof fn !== "function") {
      return { pass: false, error: true, reason: `${value.path} has no default export function` };
    }
    try {
      const result: unknown = await fn(answer, {
        vars: ctx.prompt.vars,
        prompt: ctx.prompt.user,
        options: value.options ?? {},
      });
      return toVerdict(result);
    } catch (err) {
      return { pass: false, error: true, reason: `${value.path} threw: ${(err as Error).message}` };
    }
  },
};

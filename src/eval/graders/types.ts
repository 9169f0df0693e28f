/** The grader contract, typed so that a grader kind added to the schema without an implementation does not compile. */
import type { Grader as GraderConfig } from "../../core/pipeline.generated.js";
import type { EvalMessage, EvalPrompt, Verdict } from "../types.js";

/** The configured value of each grader kind, read from the schema (the `not-` forms share their positive kind's value). */
export type GraderValues = {
  [K in Exclude<keyof GraderConfig, `not-${string}`>]-?: NonNullable<GraderConfig[K]>;
};

export type GraderKind = keyof GraderValues;

/** A judge model's completion: the text, or the request's failure. */
export type JudgeAnswer = { ok: true; text: string } | { ok: false; message: string };

/** What graders may use besides the answer. Only llm-judge and module graders need any of it. */
export interface GradeContext {
  prompt: EvalPrompt;
  /** Asks a judge model; goes through the same provider, cache and retries as the candidates. */
  judge(model: string, messages: EvalMessage[]): Promise<JudgeAnswer>;
  /** Judge model when the grader names none: evaluation.judge.model, else the base model. */
  defaultJudgeModel: string;
  /** Loads a custom grader module by its path as written in the pipeline (relative to the pipeline file). */
  loadModule(path: string): Promise<unknown>;
}

export interface Grader<K extends GraderKind> {
  /** Whether `not-<kind>` exists. */
  negatable: boolean;
  /** A short name for reports, e.g. `icontains "Neon"`. */
  describe(value: GraderValues[K]): string;
  grade(value: GraderValues[K], answer: string, ctx: GradeContext): Verdict | Promise<Verdict>;
}

/** Every grader kind has exactly one implementation. */
export type GraderRegistry = { [K in GraderKind]: Grader<K> };

/** Shortens text for a one-line reason. */
export function excerpt(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? JSON.stringify(oneLine) : `${JSON.stringify(oneLine.slice(0, max - 1))}…`;
}

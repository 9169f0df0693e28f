import type { Grader as GraderConfig } from "../../core/pipeline.generated.js";
import type { EvalGrader, GradeResult } from "../types.js";
import { GRADERS } from "./registry.js";
import type { GradeContext, Grader, GraderKind, GraderValues } from "./types.js";

/** A grader entry of the pipeline, read: its kind, whether it is negated (`not-…`), and its value. */
export interface ParsedGrader {
  kind: GraderKind;
  negate: boolean;
  value: GraderValues[GraderKind];
}

function isKind(name: string): name is GraderKind {
  return Object.hasOwn(GRADERS, name);
}

/**
 * Reads one `assert` entry (an object with exactly one key, which the schema guarantees). Returns a message for a key
 * that names no grader or negates one that has no `not-` form.
 */
export function parseGrader(config: GraderConfig): ParsedGrader | string {
  const entries = Object.entries(config);
  if (entries.length !== 1) return `a grader has exactly one key, got ${entries.length}`;
  const [key, value] = entries[0]!;
  const negate = key.startsWith("not-");
  const kind = negate ? key.slice(4) : key;
  if (!isKind(kind)) return `unknown grader "${key}"`;
  if (negate && !GRADERS[kind].negatable) return `grader "${kind}" has no not- form`;
  return { kind, negate, value: value as GraderValues[GraderKind] };
}

/** The implementation of a kind, typed so that it takes that kind's value. */
function graderOf<K extends GraderKind>(kind: K): Grader<K> {
  return GRADERS[kind];
}

/** The grader's name in reports, e.g. `not-icontains "sorry"`. */
export function describeGrader(parsed: ParsedGrader): string {
  const name = graderOf(parsed.kind).describe(parsed.value);
  return parsed.negate ? `not-${name}` : name;
}

/**
 * Applies one grader to an answer. A negated grader passes when the positive one fails; a grader error stays an
 * error (and a failure) either way.
 */
export async function applyGrader(
  config: GraderConfig,
  answer: string,
  ctx: GradeContext,
  group?: string,
): Promise<GradeResult> {
  const parsed = parseGrader(config);
  if (typeof parsed === "string") {
    return {
      grader: "invalid grader",
      group: group ?? "invalid grader",
      kind: "invalid",
      pass: false,
      error: true,
      reason: parsed,
    };
  }
  const grader = describeGrader(parsed);
  const verdict = await graderOf(parsed.kind).grade(parsed.value, answer, ctx);
  const result: GradeResult = {
    grader,
    group: group ?? grader,
    kind: parsed.negate ? `not-${parsed.kind}` : parsed.kind,
    pass: !verdict.error && verdict.pass !== parsed.negate,
    reason: parsed.negate && !verdict.error ? `not: ${verdict.reason}` : verdict.reason,
  };
  if (verdict.score !== undefined) result.score = verdict.score;
  if (verdict.error) result.error = true;
  return result;
}

/** Applies every grader of a prompt, in order (one at a time: a judge call is a request like any other). */
export async function gradeAnswer(graders: readonly EvalGrader[], answer: string, ctx: GradeContext) {
  const results: GradeResult[] = [];
  for (const g of graders) results.push(await applyGrader(g.config, answer, ctx, g.group));
  return results;
}

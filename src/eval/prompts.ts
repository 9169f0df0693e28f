import { PLACEHOLDER } from "../config/template-vars.js";
import type { Evaluation, Grader as GraderConfig, Prompt } from "../core/pipeline.generated.js";
import { readSource } from "../data/sources/index.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { describeGrader, parseGrader } from "./graders/grade.js";
import type { EvalGrader, EvalPrompt } from "./types.js";

export interface ExpandPromptsInput {
  evaluation: Evaluation;
  /** The pipeline's directory: `from` paths are relative to it. */
  pipelineDir: string;
  /** The working directory, for file names in diagnostics. */
  displayBase: string;
  /** The system message when neither the prompt nor `evaluation.system` gives one (the training data's). */
  defaultSystem: string | undefined;
}

/**
 * Every evaluation prompt, expanded: a prompt with `from` yields one prompt per row of the file (columns are vars),
 * a prompt with `vars` one per combination of their values (the cartesian product, first var varying slowest, in
 * the order written), and both multiply. Order is stable: config order, then row order, then combination order.
 */
export async function expandPrompts(
  input: ExpandPromptsInput,
): Promise<{ prompts: EvalPrompt[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const prompts: EvalPrompt[] = [];
  const usedIds = new Set<string>();
  for (const [index, prompt] of input.evaluation.prompts.entries()) {
    const rows = prompt.from ? await readRows(prompt, input, diagnostics) : [{}];
    const combos = rows.flatMap((row) => combinations(prompt.vars ?? {}).map((combo) => ({ ...row, ...combo })));
    for (const vars of combos) {
      const expanded = expandOne(prompt, index, vars, combos.length > 1, input, diagnostics);
      // A repeated id gets -2, -3, ... so that every prompt can be named in reports and results.
      let id = expanded.id;
      for (let n = 2; usedIds.has(id); n++) id = `${expanded.id}-${n}`;
      usedIds.add(id);
      expanded.id = id;
      prompts.push(expanded);
    }
  }
  return { prompts, diagnostics };
}

async function readRows(prompt: Prompt, input: ExpandPromptsInput, diagnostics: Diagnostic[]) {
  const rows: Record<string, string>[] = [];
  for await (const row of readSource(prompt.from!, input.pipelineDir, input.displayBase)) {
    if (row.kind === "error") {
      diagnostics.push(row.diagnostic);
      continue;
    }
    if (typeof row.value !== "object" || row.value === null || Array.isArray(row.value)) {
      diagnostics.push({
        severity: "error",
        code: "eval-prompt-row",
        message: "an evaluation prompt row must be an object whose fields are vars",
        span: { file: row.file, line: row.line, col: 1 },
      });
      continue;
    }
    rows.push(Object.fromEntries(Object.entries(row.value).map(([k, v]) => [k, fieldText(v)])));
  }
  return rows;
}

/** The cartesian product of the vars' values, first var varying slowest. */
export function combinations(vars: NonNullable<Prompt["vars"]>): Record<string, string>[] {
  let result: Record<string, string>[] = [{}];
  for (const [name, value] of Object.entries(vars)) {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    result = result.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v })));
  }
  return result;
}

function expandOne(
  prompt: Prompt,
  index: number,
  vars: Record<string, string>,
  many: boolean,
  input: ExpandPromptsInput,
  diagnostics: Diagnostic[],
): EvalPrompt {
  const missing: string[] = [];
  const render = (t: string) => renderText(t, vars, missing);
  const user = render(prompt.user);
  const system = prompt.system ?? input.evaluation.system ?? input.defaultSystem;
  const graders = [...(input.evaluation.assert ?? []), ...(prompt.assert ?? [])].map((g) =>
    expandGrader(g, vars, missing),
  );
  const base = prompt.id ?? slug(user);
  const id = prompt.id !== undefined && many ? `${base}-${slug(Object.values(vars).join("-"))}` : base;
  const result: EvalPrompt = { id, user, vars, weight: prompt.weight ?? 1, graders };
  if (system !== undefined) result.system = render(system);
  if (prompt.reference !== undefined) result.reference = render(prompt.reference);
  if (missing.length > 0) {
    diagnostics.push({
      severity: "error",
      code: "eval-prompt-missing-var",
      message: `evaluation prompt ${index + 1} (${JSON.stringify(id)}) uses ${missing.map((m) => `{{${m}}}`).join(", ")} but has no such var`,
      hint:
        Object.keys(vars).length > 0 ? `vars: ${Object.keys(vars).join(", ")}` : "add `vars:` or `from:` to the prompt",
    });
  }
  return result;
}

/**
 * Substitutes vars in a grader's values. A custom module's options pass unchanged (the pipeline says so), and a
 * JSON Schema is data, not a template.
 */
function expandGrader(config: GraderConfig, vars: Record<string, string>, missing: string[]): EvalGrader {
  const parsed = parseGrader(config);
  const group = typeof parsed === "string" ? "invalid grader" : describeGrader(parsed);
  if (typeof parsed !== "string" && (parsed.kind === "module" || parsed.kind === "json")) return { config, group };
  return { config: renderDeep(config, vars, missing) as GraderConfig, group };
}

/** A readable id from text: lower-case letters and digits joined by dashes, at most 60 characters. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return s || "prompt";
}

/**
 * Substitutes `vars` into a template (prompts, references, grader values): plain `{{name}}` replacement, no
 * expressions, no code. The placeholder syntax is the config's (src/config/template-vars.ts), so what validation
 * checks is exactly what is substituted. Names it lacks are added to `missing` and their placeholders left as written.
 */
function renderText(template: string, vars: Readonly<Record<string, string>>, missing: string[]): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = vars[name];
    if (value !== undefined) return value;
    if (!missing.includes(name)) missing.push(name);
    return whole;
  });
}

/**
 * Substitutes every string inside a JSON-like value (grader configs), collecting missing names. Objects keep their
 * key order so that the result describes the same grader.
 */
function renderDeep(value: unknown, vars: Readonly<Record<string, string>>, missing: string[]): unknown {
  if (typeof value === "string") return renderText(value, vars, missing);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars, missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars, missing)]));
  }
  return value;
}

/** A row's field as text: strings as they are, numbers and booleans written out, anything else as JSON. */
function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

import { peekColumns } from "../../data/sources/peek-columns.js";
import type { SourceFile } from "../../data/sources/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { suggestionHint } from "../../core/did-you-mean.js";
import { placeholders } from "../../config/template-vars.js";
import { at, isRecord, type RuleContext } from "../../config/rules/context.js";
import type { SourceFiles } from "./sources.js";

/** The union of the columns of some files; undefined when none could be read (nothing to check against). */
async function columnsOf(files: readonly SourceFile[]): Promise<Set<string> | undefined> {
  let all: Set<string> | undefined;
  for (const file of files) {
    const columns = await peekColumns(file);
    if (!columns) continue;
    all ??= new Set();
    for (const c of columns) all.add(c);
  }
  return all;
}

function check(
  ctx: RuleContext,
  text: unknown,
  path: (string | number)[],
  columns: ReadonlySet<string>,
  where: string,
): Diagnostic[] {
  if (typeof text !== "string") return [];
  return placeholders(text)
    .filter((p) => !columns.has(p.name))
    .map((p) => {
      const hint = suggestionHint(p.name, [...columns], "available");
      return {
        severity: "error",
        code: "template-variable",
        message: `\`{{${p.name}}}\` is not a ${where}`,
        span: ctx.locate.span(path, { needle: p.text }),
        ...(hint ? { hint } : {}),
      };
    });
}

/**
 * `template-variable`: every `{{name}}` must be filled by something. In a dataset `template` transform, by a
 * column of the training or validation files (a CSV header, or the keys of the first JSON object); in an
 * evaluation prompt, by its `vars` or the columns of its `from` file.
 */
export async function checkTemplates(ctx: RuleContext, files: SourceFiles): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const transforms = at(ctx.value, "dataset", "transforms");
  if (Array.isArray(transforms) && transforms.some((t) => isRecord(t) && "template" in t)) {
    const columns = await columnsOf([...files.train, ...files.validation]);
    if (columns) {
      for (const [i, t] of transforms.entries()) {
        const messages = at(t, "template", "messages");
        if (!Array.isArray(messages)) continue;
        for (const [j, m] of messages.entries()) {
          const path = ["dataset", "transforms", i, "template", "messages", j, "content"];
          out.push(...check(ctx, at(m, "content"), path, columns, "column of the training data"));
        }
      }
    }
  }
  const prompts = at(ctx.value, "evaluation", "prompts");
  if (Array.isArray(prompts)) {
    for (const [i, prompt] of prompts.entries()) {
      if (!isRecord(prompt)) continue;
      const names = new Set(isRecord(prompt.vars) ? Object.keys(prompt.vars) : []);
      const fromFiles = files.prompts.get(i);
      if (fromFiles) {
        const columns = await columnsOf(fromFiles);
        if (!columns) continue;
        for (const c of columns) names.add(c);
      }
      const base = ["evaluation", "prompts", i];
      const where = "variable of this prompt (`vars` or `from` columns)";
      for (const key of ["user", "system", "reference"]) {
        out.push(...check(ctx, prompt[key], [...base, key], names, where));
      }
      if (Array.isArray(prompt.assert)) {
        for (const [k, grader] of prompt.assert.entries()) {
          if (!isRecord(grader)) continue;
          for (const [name, arg] of Object.entries(grader)) {
            out.push(...check(ctx, arg, [...base, "assert", k, name], names, where));
          }
        }
      }
    }
  }
  return out;
}

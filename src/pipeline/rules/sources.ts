import type { Source } from "../../core/pipeline.generated.js";
import { expandSource } from "../../data/sources/expand.js";
import type { SourceFile } from "../../data/sources/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { at, isRecord, type RuleContext } from "../../config/rules/context.js";

function isEntry(v: unknown): boolean {
  return (typeof v === "string" && v !== "") || (isRecord(v) && typeof v.path === "string" && v.path !== "");
}

/** Whether a value has the shape of a source; the schema reports the ones that do not. */
export function isSourceSpec(v: unknown): v is Source {
  return isEntry(v) || (Array.isArray(v) && v.length > 0 && v.every(isEntry));
}

/** The files each source expanded to, for the rules that look inside them. */
export interface SourceFiles {
  train: SourceFile[];
  validation: SourceFile[];
  /** evaluation.prompts[i].from, by prompt index. */
  prompts: Map<number, SourceFile[]>;
}

/**
 * `missing-file`, `glob-no-match`, `unknown-format`: every data path in the pipeline (dataset sources and
 * evaluation prompt files) must name existing files of a known format.
 */
export async function checkSources(ctx: RuleContext): Promise<{ diagnostics: Diagnostic[]; files: SourceFiles }> {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFiles = { train: [], validation: [], prompts: new Map() };
  const expand = async (spec: unknown, path: (string | number)[]): Promise<SourceFile[]> => {
    if (!isSourceSpec(spec)) return [];
    const expanded = await expandSource(spec, ctx.dir, ctx.cwd);
    for (const e of expanded.entries) {
      const entryPath = [
        ...path,
        ...(e.entry.index === undefined ? [] : [e.entry.index]),
        ...(e.entry.plain ? [] : ["path"]),
      ];
      for (const d of e.diagnostics) diagnostics.push({ ...d, span: ctx.locate.span(entryPath) });
    }
    return expanded.files;
  };
  files.train = await expand(at(ctx.value, "dataset", "train"), ["dataset", "train"]);
  files.validation = await expand(at(ctx.value, "dataset", "validation"), ["dataset", "validation"]);
  const prompts = at(ctx.value, "evaluation", "prompts");
  if (Array.isArray(prompts)) {
    for (const [i, prompt] of prompts.entries()) {
      const from = at(prompt, "from");
      if (from !== undefined) files.prompts.set(i, await expand(from, ["evaluation", "prompts", i, "from"]));
    }
  }
  return { diagnostics, files };
}

import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RuleContext } from "./context.js";
import { modelRule } from "./model.js";
import { checkSources } from "./sources.js";
import { splitRule } from "./split.js";
import { checkTemplates } from "./templates.js";

/**
 * The semantic checks the schema cannot express. They run even when the schema found problems, reading the value
 * defensively, so one `validate` shows every mistake at once.
 */
export async function runRules(ctx: RuleContext): Promise<Diagnostic[]> {
  const sources = await checkSources(ctx);
  const templates = await checkTemplates(ctx, sources.files);
  return [...(await modelRule(ctx)), ...(await splitRule(ctx)), ...sources.diagnostics, ...templates];
}

export type { Locator, RuleContext } from "./context.js";

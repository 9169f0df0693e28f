import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RuleContext } from "./context.js";
import { gateRule } from "./gate.js";
import { modelRule } from "./model.js";
import { settingsRule } from "./settings.js";
import { splitRule } from "./split.js";

/** The semantic checks that need only the pipeline value: the model name, provider settings, split ratios, gate. */
export async function runConfigRules(ctx: RuleContext): Promise<Diagnostic[]> {
  return [...(await modelRule(ctx)), ...(await settingsRule(ctx)), ...(await splitRule(ctx)), ...(await gateRule(ctx))];
}

export type { Locator, Rule, RuleContext } from "./context.js";

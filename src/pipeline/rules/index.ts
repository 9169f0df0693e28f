import type { Rule } from "../../config/rules/context.js";
import { checkSources } from "./sources.js";
import { checkTemplates } from "./templates.js";

/**
 * The semantic checks that read the data files: every source exists and parses, and every template variable is a
 * column of the rows it renders. They live above config and data because they need both.
 */
export const dataRules: Rule = async (ctx) => {
  const sources = await checkSources(ctx);
  return [...sources.diagnostics, ...(await checkTemplates(ctx, sources.files))];
};

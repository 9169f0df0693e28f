import type { TemplateTransform } from "../../core/pipeline.generated.js";
import { describeJson, isRecord } from "../format-checks/json-kind.js";
import type { TransformContext, TransformStep } from "./context.js";

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/**
 * Maps a row (a CSV record or a JSON object) to `{messages: [...]}` by substituting `{{field}}` with the row's
 * value. Plain substitution: no expressions, no code. Numbers and booleans are written as text, objects as JSON.
 * A row without a field the template names is reported and dropped.
 */
export function templateStep(config: TemplateTransform["template"], ctx: TransformContext): TransformStep {
  return async function* (items) {
    for await (const item of items) {
      const row = item.value;
      const span = { file: item.file, line: item.line, col: 1 };
      if (!isRecord(row)) {
        ctx.report({
          severity: "error",
          code: "data-template-row",
          message: `the template needs an object with named fields, found ${describeJson(row)}`,
          span,
        });
        continue;
      }
      const missing = new Set<string>();
      const messages = config.messages.map((m) => ({
        role: m.role,
        content: m.content.replace(PLACEHOLDER, (_whole, name: string) => {
          const text = fieldText(row[name]);
          if (text === undefined) missing.add(name);
          return text ?? "";
        }),
      }));
      if (missing.size > 0) {
        const names = [...missing].map((n) => `\`${n}\``).join(", ");
        ctx.report({
          severity: "error",
          code: "data-template-missing-field",
          message: `the row has no value for ${names}, which the template uses`,
          span,
          hint: `fields in this row: ${Object.keys(row)
            .map((k) => `\`${k}\``)
            .join(", ")}`,
        });
        continue;
      }
      yield { ...item, value: { messages } };
    }
  };
}

function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { ErrorObject } from "ajv";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { describeSchema, describeValue, type JsonSchema } from "./describe-schema.js";
import { didYouMean, suggestionHint } from "../core/did-you-mean.js";
import { displayPath, pointerToPath } from "./yaml-locate.js";

/** A schema problem at a path in the pipeline value; the loader turns the path into a line and column. */
export interface SchemaProblem {
  path: (string | number)[];
  /** Underline the key of the entry rather than its value (unknown and missing keys). */
  atKey: boolean;
  diagnostic: Omit<Diagnostic, "span">;
  /** unknown-key: the allowed key it is probably a typo of. */
  suggestion?: string;
  /** missing-key: the key that is missing. */
  missing?: string;
}

export function hintField(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

/**
 * One ajv error (outside any oneOf) as a problem with a plain-English message: unknown and missing keys, wrong
 * types, values out of range or not among the choices.
 */
export function keywordProblem(
  resolve: (s: JsonSchema) => JsonSchema,
  e: ErrorObject,
  base: (string | number)[],
): SchemaProblem {
  const path = [...base, ...pointerToPath(e.instancePath)];
  const where = `\`${displayPath(path)}\``;
  const schema = (e.parentSchema ?? {}) as JsonSchema;
  const err = (code: DiagnosticCode, message: string, hint?: string, atKey = false, at = path): SchemaProblem => ({
    path: at,
    atKey,
    diagnostic: { severity: "error", code, message, ...hintField(hint) },
  });
  switch (e.keyword) {
    case "additionalProperties": {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((schema.properties as object) ?? {});
      const inWhat = path.length === 0 ? "at the top level" : `in ${where}`;
      const problem = err("unknown-key", `unknown key \`${key}\` ${inWhat}`, suggestionHint(key, allowed), true, [
        ...path,
        key,
      ]);
      const close = didYouMean(key, allowed);
      return close === undefined ? problem : { ...problem, suggestion: close };
    }
    case "required": {
      const key = (e.params as { missingProperty: string }).missingProperty;
      const owner = path.length === 0 ? "the pipeline" : where;
      const prop = (schema.properties as Record<string, JsonSchema> | undefined)?.[key];
      const about = prop ? (prop.description ?? resolve(prop).description) : undefined;
      return {
        ...err("missing-key", `${owner} is missing the required key \`${key}\``, about as string | undefined, true),
        missing: key,
      };
    }
    case "type":
    case "enum":
    case "const":
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const values = e.keyword === "enum" ? (schema.enum as unknown[]).map(String) : [];
      const hint = typeof e.data === "string" ? suggestionHint(e.data, values, "allowed values") : undefined;
      return err(
        e.keyword === "type" ? "invalid-type" : "invalid-value",
        `${where} must be ${describeSchema(schema, resolve)}, not ${describeValue(e.data)}`,
        hint,
      );
    }
    case "minLength":
      return err(
        "invalid-value",
        schema.minLength === 1
          ? `${where} must not be empty`
          : `${where} is shorter than ${schema.minLength} characters`,
      );
    case "maxLength":
      return err("invalid-value", `${where} is longer than ${schema.maxLength} characters`);
    case "pattern":
      return err(
        "invalid-value",
        `${where} ${describeValue(e.data)} does not match \`${schema.pattern}\``,
        schema.description as string | undefined,
      );
    case "minItems":
      return err("invalid-value", `${where} needs at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
    case "minProperties":
    case "maxProperties":
      if (schema.minProperties === 1 && schema.maxProperties === 1) {
        return err("invalid-value", `${where} must have exactly one key`, schema.description as string | undefined);
      }
      return err("invalid-value", `${where} ${e.message ?? "is invalid"}`);
    default:
      return err("invalid-value", `${where} ${e.message ?? "is invalid"}`);
  }
}

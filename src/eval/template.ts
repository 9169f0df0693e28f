/**
 * `{{name}}` substitution for evaluation prompts, references and grader values: plain replacement, no expressions,
 * no code. The placeholder syntax is the config's (src/config/template-vars.ts), so what validation
 * checks is exactly what is substituted.
 */
import { PLACEHOLDER } from "../config/template-vars.js";

/** Substitutes `vars` into a template; names it lacks are added to `missing` and their placeholders left as written. */
export function renderText(template: string, vars: Readonly<Record<string, string>>, missing: string[]): string {
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
export function renderDeep(value: unknown, vars: Readonly<Record<string, string>>, missing: string[]): unknown {
  if (typeof value === "string") return renderText(value, vars, missing);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars, missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars, missing)]));
  }
  return value;
}

/** A row's field as text: strings as they are, numbers and booleans written out, anything else as JSON. */
export function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

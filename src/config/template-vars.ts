/**
 * `{{name}}` placeholders, the only template syntax (no code runs). The name is anything but braces, trimmed, so
 * a CSV column `First name` is `{{First name}}`. The same pattern as the substitution in src/data/transforms and
 * src/eval, so what is checked here is what gets replaced there.
 */
export const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

export interface Placeholder {
  /** The variable name, e.g. `question`. */
  name: string;
  /** The placeholder as written, e.g. `{{ question }}`. */
  text: string;
}

/** The placeholders of a template string, in order of appearance. */
export function placeholders(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, text: m[0] }));
}

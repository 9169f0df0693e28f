/**
 * `{{name}}` placeholders, the only template syntax (no code runs). Spaces inside the braces are allowed; a name
 * is letters, digits, `_`, `-` and `.`.
 */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

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

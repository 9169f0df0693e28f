import type { Diagnostic } from "../diagnostics/diagnostic.js";

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

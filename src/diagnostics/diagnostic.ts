import type { DiagnosticCode } from "./codes.js";

/**
 * A problem found in user input (a pipeline file, a data file, a lockfile). Expected failures are values of this
 * type, never exceptions: loaders collect every diagnostic they can find and return them together.
 */
export type Severity = "error" | "warning";

/** A location in a file. Lines and columns are 1-based; the end is exclusive and on the same line when omitted. */
export interface SourceSpan {
  /** Path as the user should see it: relative to the working directory when possible. */
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case code, printed as error[code]; the closed list is in codes.ts. */
  code: DiagnosticCode;
  message: string;
  /** Where it is; absent for problems with no location (e.g. an unreadable file). */
  span?: SourceSpan;
  /** A suggestion, e.g. "did you mean `validation`?". */
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

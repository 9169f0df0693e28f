import type { Diagnostic, SourceSpan } from "../../diagnostics/diagnostic.js";
import type { ValuePath } from "../yaml-locate.js";

/** How a rule points at the pipeline file. */
export interface Locator {
  /**
   * The span of the value at `path` (or of its key with `atKey`); with `needle`, of that text inside the value.
   * Falls back to the nearest existing ancestor, or to the `-S` override that set the value.
   */
  span(path: ValuePath, options?: { atKey?: boolean; needle?: string }): SourceSpan;
}

/** What a semantic rule gets: the pipeline value after interpolation and overrides (not yet known to be valid). */
export interface RuleContext {
  value: Record<string, unknown>;
  /**
   * The provider kind the run will use: `--provider` when given, else the pipeline's (`auto` when not given). A
   * setting the pipeline writes for another kind is checked against this one, since that is where it would go.
   */
  kind: string;
  /** The pipeline's directory: data paths are relative to it. */
  dir: string;
  /** The working directory: files are displayed relative to it. */
  cwd: string;
  locate: Locator;
}

export type Rule = (ctx: RuleContext) => Promise<Diagnostic[]>;

/** Reads `value` at a path without trusting its shape. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `provider: openai` or `provider: { kind: openai }`; `auto` when not given. */
export function providerKind(value: unknown): string {
  const p = at(value, "provider");
  if (typeof p === "string") return p;
  const kind = at(p, "kind");
  return typeof kind === "string" ? kind : "auto";
}

import type { Diagnostic, Severity } from "./diagnostic.js";

export interface RenderOptions {
  /** ANSI colours. Default: false; the CLI turns them on for a TTY without NO_COLOR (see {@link wantsColor}). */
  color?: boolean;
}

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

const ANSI = { red: "\u001b[31m", yellow: "\u001b[33m", blue: "\u001b[34m", bold: "\u001b[1m", reset: "\u001b[0m" };

/**
 * Renders diagnostics like a compiler:
 *
 * ```text
 * pipelines/elle.yaml:14:3 error[unknown-key] unknown key `validaton` in `dataset`
 *    |
 * 14 |   validaton: data/elle/validation-data.jsonl
 *    |   ^~~~~~~~~
 *    = hint: did you mean `validation`?
 * ```
 *
 * followed by a summary line (`2 errors, 1 warning`). `sources` maps a span's file to its text; a diagnostic whose
 * file is not in it is printed without the source excerpt. Returns "" for no diagnostics.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceTexts,
  options: RenderOptions = {},
): string {
  if (diagnostics.length === 0) return "";
  const paint = painter(options.color ?? false);
  const lineCache = new Map<string, string[]>();
  const lineOf = (file: string, line: number): string | undefined => {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    if (typeof text !== "string") return text.get(line);
    const lines = lineCache.get(file) ?? text.split(/\r?\n|\r/);
    lineCache.set(file, lines);
    return lines[line - 1];
  };
  const blocks = diagnostics.map((d) => renderOne(d, lineOf, paint));
  return `${blocks.join("\n")}\n${summarize(diagnostics)}\n`;
}

/**
 * The text of the files diagnostics point into, by displayed name: a whole text (a pipeline file), or only the
 * lines that are needed, by 1-based number (a large data file; see collectSourceLines).
 */
export type SourceTexts = ReadonlyMap<string, string | ReadonlyMap<number, string>>;

/** Longest excerpt shown; longer lines are cut to a window around the span, marked with "...". */
const MAX_EXCERPT = 160;

function excerpt(line: string, start: number, end: number): { text: string; start: number; end: number } {
  if (line.length <= MAX_EXCERPT) return { text: line, start, end };
  const from = Math.max(0, Math.min(start - 60, line.length - MAX_EXCERPT));
  const to = Math.min(line.length, from + MAX_EXCERPT);
  const lead = from > 0 ? "..." : "";
  const text = `${lead}${line.slice(from, to)}${to < line.length ? "..." : ""}`;
  return { text, start: start - from + lead.length, end: Math.min(end, to) - from + lead.length };
}

type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `${ANSI[style]}${text}${ANSI.reset}` : (_style, text) => text;
}

function severityColor(severity: Severity): "red" | "yellow" {
  return severity === "error" ? "red" : "yellow";
}

function renderOne(d: Diagnostic, lineOf: (file: string, line: number) => string | undefined, paint: Paint): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col} ` : "";
  const head = `${paint("bold", where)}${paint(severityColor(d.severity), `${d.severity}[${d.code}]`)} ${d.message}`;
  const out = [head];
  const sourceLine = d.span ? lineOf(d.span.file, d.span.line) : undefined;
  const gutterWidth = d.span ? String(d.span.line).length : 1;
  const pad = " ".repeat(gutterWidth);
  if (d.span && sourceLine !== undefined) {
    // Tabs become single spaces so that the underline lines up column for column.
    const full = sourceLine.replace(/\t/g, " ");
    const start = Math.min(d.span.col - 1, full.length);
    const sameLine = d.span.endLine === undefined || d.span.endLine === d.span.line;
    // No end: a point (one caret). An end on a later line: underline to the end of this line.
    const end = !sameLine ? full.length : d.span.endCol !== undefined ? d.span.endCol - 1 : start + 1;
    const shown = excerpt(full, start, Math.min(end, full.length));
    const width = Math.max(1, shown.end - shown.start);
    const underline = `${" ".repeat(shown.start)}^${"~".repeat(width - 1)}`;
    out.push(paint("blue", `${pad} |`));
    out.push(`${paint("blue", `${d.span.line} |`)} ${shown.text}`.trimEnd());
    out.push(`${paint("blue", `${pad} |`)} ${paint(severityColor(d.severity), underline)}`);
  }
  if (d.hint) out.push(`${pad} = hint: ${d.hint}`);
  return out.join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `2 errors, 1 warning`; omits a zero count unless both are zero. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const parts = [];
  if (errors > 0 || warnings === 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  return parts.join(", ");
}

/** The `--json` form: one object per diagnostic with flat location fields, stable key order. */
export interface DiagnosticJson {
  severity: Severity;
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  endLine: number | null;
  endCol: number | null;
  hint: string | null;
}

export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): DiagnosticJson[] {
  return diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.span?.file ?? null,
    line: d.span?.line ?? null,
    col: d.span?.col ?? null,
    endLine: d.span?.endLine ?? d.span?.line ?? null,
    endCol: d.span?.endCol ?? null,
    hint: d.hint ?? null,
  }));
}

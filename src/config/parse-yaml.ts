import { type Alias, type Document, isNode, LineCounter, type Node, parseDocument, visit, type YAMLError } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { conflictRegions } from "../diagnostics/merge-conflict.js";
import { spanOfRange } from "./yaml-locate.js";

/**
 * Aliases may expand to at most this many nodes in total: enough for any real pipeline, far too few for a
 * "billion laughs" document to exhaust memory.
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  /** The plain value, or undefined when the document could not be turned into one. */
  value: unknown;
  diagnostics: Diagnostic[];
}

/**
 * Parses YAML keeping node ranges (for diagnostics) and reports every syntax error, duplicate key and alias
 * problem the parser finds, not just the first.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    // The library would print some warnings to stderr itself; every problem goes through diagnostics instead.
    logLevel: "error",
  });
  const diagnostics: Diagnostic[] = [];
  // The markers would show as a cascade of syntax errors (or, worse, parse as text); name them instead.
  const conflicts = conflictRegions(text, file);
  if (conflicts.length > 0) {
    const hint = "keep the lines you want and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines";
    for (const { start, endLine } of conflicts) {
      const message = `unresolved git merge conflict (lines ${start.line}-${endLine})`;
      diagnostics.push({ severity: "error", code: "merge-conflict", message, span: start, hint });
    }
    return { doc, lines, value: undefined, diagnostics };
  }
  for (const err of doc.errors) diagnostics.push(yamlErrorToDiagnostic(err, "error", file, lines, text));
  for (const warn of doc.warnings) diagnostics.push(yamlErrorToDiagnostic(warn, "warning", file, lines, text));
  let value: unknown;
  // Duplicate keys leave a usable document, so the schema and rules can still report everything else.
  if (doc.errors.every((e) => e.code === "DUPLICATE_KEY")) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // The yaml library signals alias explosions (and unresolvable aliases) by throwing; both are user input.
      diagnostics.push({
        severity: "error",
        code: "yaml-alias",
        message: `the YAML aliases could not be expanded: ${(err as Error).message}`,
        span: { file, line: 1, col: 1 },
        hint: `aliases may expand to at most ${MAX_ALIAS_COUNT} nodes in total`,
      });
    }
    // `&a [*a]` expands to a value that contains itself: every later walk over it would recurse forever.
    const cyclic = value === undefined ? undefined : aliasInsideItsAnchor(doc);
    if (cyclic) {
      diagnostics.push({
        severity: "error",
        code: "yaml-alias",
        message: `the alias \`*${cyclic.source}\` is inside the node it refers to, so its value would be infinite`,
        span: cyclic.range ? spanOfRange([cyclic.range[0], cyclic.range[1]], file, lines) : { file, line: 1, col: 1 },
        hint: "define the anchor (&name) outside the node that uses the alias (*name)",
      });
      value = undefined;
    }
  }
  return { doc, lines, value, diagnostics };
}

/** The first alias whose anchor is one of its own ancestors (a cycle), if any. */
function aliasInsideItsAnchor(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, alias, path) {
      const ancestors = path.filter((p): p is Node => isNode(p));
      if (ancestors.some((node) => node.anchor === alias.source)) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function yamlErrorToDiagnostic(
  err: YAMLError,
  severity: Diagnostic["severity"],
  file: string,
  lines: LineCounter,
  text: string,
): Diagnostic {
  const span = spanOfRange(err.pos, file, lines);
  if (err.code === "DUPLICATE_KEY") {
    const key = keyAt(text, err.pos[0]);
    return {
      severity,
      code: "duplicate-key",
      message: `duplicate key \`${key}\` in the same mapping`,
      span: spanOfRange([err.pos[0], err.pos[0] + key.length], file, lines),
      hint: "only one of the values would count; remove or rename one of them",
    };
  }
  const hint = SYNTAX_HINTS[err.code];
  const message = err.code === "MULTIPLE_DOCS" ? "the file holds more than one YAML document" : firstLine(err.message);
  return { severity, code: "yaml-syntax", message, span, ...(hint ? { hint } : {}) };
}

/** Hints for the parser errors people actually make. */
const SYNTAX_HINTS: Partial<Record<YAMLError["code"], string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'a value that contains ": " must be quoted, e.g. description: "Elle: a chatbot"',
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs for indentation",
  MULTIPLE_DOCS: "a pipeline file holds one document; remove the `---` separator",
  BAD_INDENT: "check the indentation and that every [ and { is closed",
  MISSING_CHAR: "a quote, bracket or brace is not closed",
};

/** The key written at an offset (the parser reports a duplicate by position only). */
function keyAt(text: string, offset: number): string {
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]+?)\s*:/.exec(text.slice(offset, offset + 200));
  return m?.[1] ?? text.slice(offset, offset + 1);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

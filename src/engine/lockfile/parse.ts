import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject, Options, ValidateFunction } from "ajv";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { loadPrecompiledValidator, runtimeAjv } from "../../config/precompiled-validator.js";
import type { Diagnostic, SourceSpan } from "../../diagnostics/diagnostic.js";
import { conflictLines, conflictRegions } from "../../diagnostics/merge-conflict.js";
import { LOCKFILE_VERSION, type Lockfile } from "./types.js";

export type ParseLockfileResult = { ok: true; lockfile: Lockfile } | { ok: false; diagnostics: Diagnostic[] };

/** Path of schemas/lockfile.schema.json, from src/engine/lockfile or dist/engine/lockfile alike. */
const LOCKFILE_SCHEMA_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../schemas/lockfile.schema.json",
);

/** ajv options for the lockfile schema (plus ajv-formats); scripts/compile-validators.mjs uses the same ones. */
export const LOCKFILE_AJV_OPTIONS: Options = { allErrors: true, strict: true };

/** Where `npm run build` puts the precompiled validator (exists under dist/ only). */
const PRECOMPILED_URL = new URL("./lockfile-validator.generated.cjs", import.meta.url);

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const text = readFileSync(LOCKFILE_SCHEMA_PATH, "utf8");
    // The precompiled validator skips ajv's code generation on every start that reads a lockfile.
    validator =
      loadPrecompiledValidator(PRECOMPILED_URL, text) ??
      runtimeAjv(LOCKFILE_AJV_OPTIONS, true).compile(JSON.parse(text));
  }
  return validator;
}

/**
 * Parses and validates a lockfile's text. Every problem is a located Diagnostic; nothing is repaired, because a
 * lockfile we do not understand may hold the only record of a paid job.
 */
export function parseLockfile(text: string, displayFile: string): ParseLockfileResult {
  const conflicts = conflictRegions(text, displayFile);
  if (conflicts.length > 0) {
    const count =
      conflicts.length === 1
        ? "an unresolved git merge conflict"
        : `${conflicts.length} unresolved git merge conflicts`;
    return {
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "lockfile-conflict",
          message: `the lockfile has ${count} (lines ${conflictLines(conflicts)})`,
          span: conflicts[0]!.start,
          // Each side is a consistent record; hunks taken from both could pair one branch's fingerprint with the
          // other's model or results, which a later run would trust as fresh.
          hint: `keep one side whole (\`git checkout --ours -- ${displayFile}\` or --theirs), then \`tunefile plan\` shows what runs again; do not combine hunks of both sides`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, endOffset?: number): SourceSpan => {
    const start = lineCounter.linePos(offset);
    const span: SourceSpan = { file: displayFile, line: start.line, col: start.col };
    if (endOffset !== undefined) {
      const end = lineCounter.linePos(endOffset);
      if (end.line === start.line && end.col > start.col) span.endCol = end.col;
    }
    return span;
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => ({
        severity: "error",
        code: "lockfile-syntax",
        message: `the lockfile is not valid YAML: ${e.message.split("\n")[0]}`,
        span: at(e.pos[0], e.pos[1]),
        hint: "tunefile never overwrites a lockfile it cannot read; fix it by hand or restore it from git",
      })),
    };
  }
  const data: unknown = doc.toJS();
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > LOCKFILE_VERSION) {
    return {
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "lockfile-version",
          message: `the lockfile has version ${version}, newer than this tunefile understands (${LOCKFILE_VERSION})`,
          span: spanOfPath(doc, ["version"], at),
          hint: "upgrade tunefile; the lockfile was left untouched",
        },
      ],
    };
  }
  const check = validate();
  if (!check(data)) {
    return { ok: false, diagnostics: (check.errors ?? []).map((e) => schemaDiagnostic(e, doc, at)) };
  }
  return { ok: true, lockfile: data as Lockfile };
}

function schemaDiagnostic(
  error: ErrorObject,
  doc: Document,
  at: (offset: number, end?: number) => SourceSpan,
): Diagnostic {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const where = segments.length > 0 ? segments.join(".") : "the top level";
  let message = `${where} ${error.message ?? "is invalid"}`;
  let preferKey = false;
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    message = `unknown key \`${extra}\` in ${where}`;
    segments.push(extra);
    preferKey = true;
  } else if (error.keyword === "required") {
    // The mapping that lacks the key spans several lines; its key names it in one word.
    preferKey = true;
  } else if (error.keyword === "enum") {
    message = `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  }
  return {
    severity: "error",
    code: "lockfile-invalid",
    message: `the lockfile is invalid: ${message}`,
    span: spanOfPath(doc, segments, at, preferKey),
    hint: "tunefile never overwrites an invalid lockfile; fix it by hand, restore it from git, or delete the stage's record",
  };
}

/**
 * The span of the YAML node at `segments`: the key itself when `preferKey` (an unknown key), else the value. When the
 * path does not exist (a missing required key), the nearest existing ancestor; the file's start as a last resort.
 */
function spanOfPath(
  doc: Document,
  segments: string[],
  at: (offset: number, end?: number) => SourceSpan,
  preferKey = false,
): SourceSpan {
  const pathKeys = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = pathKeys.length; n > 0; n--) {
    const prefix = pathKeys.slice(0, n);
    const keyNode = findKeyNode(doc, prefix);
    if (preferKey && n === pathKeys.length && keyNode?.range) return at(keyNode.range[0], keyNode.range[1]);
    const node = doc.getIn(prefix, true);
    if (isNode(node) && node.range) return at(node.range[0], node.range[1]);
    if (keyNode?.range) return at(keyNode.range[0], keyNode.range[1]);
  }
  return at(0);
}

/** The key node of the last segment of `pathKeys`, if the parent is a mapping that has it. */
function findKeyNode(doc: Document, pathKeys: (string | number)[]): { range?: [number, number, number] } | undefined {
  const parent = pathKeys.length === 1 ? doc.contents : doc.getIn(pathKeys.slice(0, -1), true);
  const last = pathKeys[pathKeys.length - 1];
  const items = (parent as { items?: { key?: unknown }[] } | null)?.items;
  if (!Array.isArray(items)) return undefined;
  for (const pair of items) {
    const key = pair.key;
    if (isNode(key) && (key as { value?: unknown }).value === last) return key as { range?: [number, number, number] };
  }
  return undefined;
}

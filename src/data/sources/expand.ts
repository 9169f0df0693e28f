import { stat } from "node:fs/promises";
import path from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import type { Source } from "../../core/pipeline.generated.js";
import { displayPathOf } from "../../core/display-path.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { delimiterOf, formatOf, type SourceEntry, sourceEntries } from "./resolve-spec.js";
import type { SourceFile } from "./types.js";

/** What one entry of a source expanded to, with the problems found (no spans: the caller knows the YAML). */
export interface ExpandedEntry {
  entry: SourceEntry;
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

export interface ExpandedSource {
  entries: ExpandedEntry[];
  /** All files in order: entries in order, each glob's matches sorted by path for determinism. */
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/**
 * Lists the concrete files of a source. Paths and globs are relative to `baseDir` (the pipeline's directory).
 * A missing path gives `missing-file`, a glob without matches `glob-no-match`, an unknown extension without a
 * `format:` gives `unknown-format`.
 */
export async function expandSource(spec: Source, baseDir: string, displayBase: string): Promise<ExpandedSource> {
  const entries: ExpandedEntry[] = [];
  for (const entry of sourceEntries(spec)) entries.push(await expandEntry(entry, baseDir, displayBase));
  return {
    entries,
    files: entries.flatMap((e) => e.files),
    diagnostics: entries.flatMap((e) => e.diagnostics),
  };
}

async function expandEntry(entry: SourceEntry, baseDir: string, displayBase: string): Promise<ExpandedEntry> {
  const pattern = entry.object.path;
  const diagnostics: Diagnostic[] = [];
  let matches: string[];
  if (isDynamicPattern(pattern)) {
    const found = await glob(pattern, { cwd: baseDir, absolute: true, onlyFiles: true, expandDirectories: false });
    matches = found.map((f) => path.resolve(f)).sort();
    if (matches.length === 0) {
      diagnostics.push({
        severity: "error",
        code: "glob-no-match",
        message: `no file matches \`${pattern}\` (relative to ${displayPathOf(baseDir, displayBase)})`,
      });
    }
  } else {
    const file = path.resolve(baseDir, pattern);
    const info = await stat(file).catch(() => undefined);
    if (!info) {
      diagnostics.push({
        severity: "error",
        code: "missing-file",
        message: `${displayPathOf(file, displayBase)} does not exist`,
        hint: "data paths are relative to the pipeline file",
      });
      matches = [];
    } else if (!info.isFile()) {
      diagnostics.push({
        severity: "error",
        code: "missing-file",
        message: `${displayPathOf(file, displayBase)} is not a file`,
      });
      matches = [];
    } else {
      matches = [file];
    }
  }
  const files: SourceFile[] = [];
  for (const file of matches) {
    const format = formatOf(file, entry.object.format);
    if (!format) {
      diagnostics.push({
        severity: "error",
        code: "unknown-format",
        message: `cannot tell the format of ${displayPathOf(file, displayBase)} from its extension`,
        hint: "name it .jsonl, .json or .csv, or give `format: jsonl | json | csv`",
      });
      continue;
    }
    const sourceFile: SourceFile = { path: file, display: displayPathOf(file, displayBase), format };
    if (format === "csv") sourceFile.delimiter = delimiterOf(file, entry.object.delimiter);
    files.push(sourceFile);
  }
  return { entry, files, diagnostics };
}

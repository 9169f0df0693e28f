import type { Source } from "../../core/pipeline.generated.js";
import { readCsv } from "./csv.js";
import { expandSource } from "./expand.js";
import { readJsonArray } from "./json-array.js";
import { readJsonl } from "./jsonl.js";
import {
  DEFAULT_CHUNK_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  type ReadLimits,
  type ReadOptions,
  type SourceFile,
  type SourceRow,
} from "./types.js";

/** Reads one concrete file in its format. */
export function readSourceFile(file: SourceFile, options: ReadOptions = {}): AsyncGenerator<SourceRow> {
  const limits: ReadLimits = {
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  };
  switch (file.format) {
    case "jsonl":
      return readJsonl(file, limits);
    case "json":
      return readJsonArray(file, limits);
    case "csv":
      return readCsv(file, limits);
    default: {
      const never: never = file.format;
      throw new Error(`internal error: unknown source format ${String(never)}`);
    }
  }
}

/**
 * Streams every row of a source (a path, a glob, an object with a format, or a list of them), file after file in
 * a deterministic order. Paths are relative to `baseDir` (the pipeline's directory); files are shown relative to
 * `displayBase` (the working directory). Problems, including missing files and globs without matches, arrive as
 * error rows in order, so a consumer reports them all.
 */
export async function* readSource(
  spec: Source,
  baseDir: string,
  displayBase: string,
  options: ReadOptions = {},
): AsyncGenerator<SourceRow> {
  const expanded = await expandSource(spec, baseDir, displayBase);
  for (const entry of expanded.entries) {
    for (const diagnostic of entry.diagnostics) yield { kind: "error", diagnostic };
    for (const file of entry.files) yield* readSourceFile(file, options);
  }
}

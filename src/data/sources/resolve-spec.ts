import path from "node:path";
import type { Source, SourceObject } from "../../core/pipeline.generated.js";
import type { SourceFormat } from "./types.js";

/** One entry of a source spec, with its position for diagnostics. */
export interface SourceEntry {
  object: SourceObject;
  /** Index in the list when the spec is a list; undefined for a single path or object. */
  index: number | undefined;
  /** Whether the entry was written as a plain string (its location is the string, not a `path:` key). */
  plain: boolean;
}

/** Normalizes `train: x.jsonl`, `train: {path, format}` and lists of either into entries. */
export function sourceEntries(spec: Source): SourceEntry[] {
  const one = (s: string | SourceObject, index: number | undefined): SourceEntry =>
    typeof s === "string" ? { object: { path: s }, index, plain: true } : { object: s, index, plain: false };
  return Array.isArray(spec) ? spec.map((s, i) => one(s, i)) : [one(spec, undefined)];
}

const BY_EXTENSION: Record<string, SourceFormat> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "json",
  ".csv": "csv",
  ".tsv": "csv",
};

/** The format of a file: the explicit one, else by extension; undefined when neither says. */
export function formatOf(file: string, explicit: SourceFormat | undefined): SourceFormat | undefined {
  return explicit ?? BY_EXTENSION[path.extname(file).toLowerCase()];
}

/** The CSV delimiter: explicit, else tab for .tsv, else comma. */
export function delimiterOf(file: string, explicit: string | undefined): string {
  return explicit ?? (path.extname(file).toLowerCase() === ".tsv" ? "\t" : ",");
}

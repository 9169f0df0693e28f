/** Streaming readers for dataset sources (jsonl, json arrays, csv) with glob expansion. */
export { displayPathOf } from "../../core/display-path.js";
export { type ExpandedEntry, type ExpandedSource, expandSource } from "./expand.js";
export { peekColumns } from "./peek-columns.js";
export { readSource, readSourceFile } from "./read-source.js";
export { delimiterOf, formatOf, type SourceEntry, sourceEntries } from "./resolve-spec.js";
export {
  DEFAULT_MAX_LINE_BYTES,
  type ReadOptions,
  type SourceFile,
  type SourceFormat,
  type SourceRow,
} from "./types.js";

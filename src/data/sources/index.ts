/** Streaming readers for dataset sources (jsonl, json arrays, csv) with glob expansion. */
export { displayPathOf } from "../../core/display-path.js";
export { type ExpandedSource, expandSource } from "./expand.js";
export { readSource, readSourceFile } from "./read-source.js";
export { sourceEntries } from "./resolve-spec.js";
export { DEFAULT_MAX_LINE_BYTES } from "./types.js";

import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export type SourceFormat = "jsonl" | "json" | "csv";

/** One concrete file of a source, after glob expansion. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path for messages, relative to the display base (the working directory). */
  display: string;
  format: SourceFormat;
  /** CSV field delimiter. Default: `,` (`\t` for .tsv). */
  delimiter?: string;
}

/**
 * One item read from a source: a parsed row with where it came from, or a problem (a line that is not JSON, a
 * CSV row with the wrong number of fields, a missing file). Problems are values; a reader never throws for bad
 * input, so a consumer can report every bad line at once.
 */
export type SourceRow =
  | {
      kind: "row";
      value: unknown;
      /** The file as displayed in messages (relative to the working directory). */
      file: string;
      /** 1-based line where the row starts. */
      line: number;
    }
  | { kind: "error"; diagnostic: Diagnostic };

/** Options for the readers. */
export interface ReadOptions {
  /**
   * Longest line (JSONL), array element (JSON) or record (CSV) in bytes; a longer one is reported as
   * `line-too-long` and skipped without being held in memory. Default: {@link DEFAULT_MAX_LINE_BYTES}.
   */
  maxLineBytes?: number;
  /** Bytes read from disk at a time. Default: {@link DEFAULT_CHUNK_BYTES}. Tests use tiny chunks to cross boundaries. */
  chunkBytes?: number;
}

/** The options with their defaults filled in, as the readers get them. */
export type ReadLimits = Required<ReadOptions>;

export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/** 64 MiB: far above any real chat example (the largest context is ~65k tokens, ~260 KB), far below memory. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

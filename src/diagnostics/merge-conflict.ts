import type { SourceSpan } from "./diagnostic.js";

/**
 * Git leaves `<<<<<<<`, `=======` and `>>>>>>>` lines (and diff3's `|||||||`) in a file it could not merge, e.g. a
 * lockfile committed on two branches that both ran. A YAML parser reports them as a cascade of unrelated syntax
 * errors; finding the regions first lets the loaders say what happened, once per region.
 */
export interface ConflictRegion {
  /** The `<<<<<<<` line. */
  start: SourceSpan;
  /** 1-based line of the closing `>>>>>>>` (the last line when it is missing). */
  endLine: number;
}

const OPEN = /^<{7}(?: |$)/;
const CLOSE = /^>{7}(?: |$)/;

export function conflictRegions(text: string, file: string): ConflictRegion[] {
  const regions: ConflictRegion[] = [];
  const lines = text.split(/\r?\n/);
  let open: number | undefined;
  for (const [index, line] of lines.entries()) {
    if (open === undefined && OPEN.test(line)) open = index + 1;
    else if (open !== undefined && CLOSE.test(line)) {
      regions.push({ start: { file, line: open, col: 1, endCol: 8 }, endLine: index + 1 });
      open = undefined;
    }
  }
  if (open !== undefined) regions.push({ start: { file, line: open, col: 1, endCol: 8 }, endLine: lines.length });
  return regions;
}

/** "lines 221-231, 262-270" for a message. */
export function conflictLines(regions: readonly ConflictRegion[]): string {
  return regions.map((r) => `${r.start.line}-${r.endLine}`).join(", ");
}

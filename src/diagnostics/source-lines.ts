import { createReadStream } from "node:fs";
import { splitLines } from "../core/line-splitter.js";
import type { Diagnostic } from "./diagnostic.js";

/** Lines longer than this are kept cut: the renderer shows a 160-character window, near the start in practice. */
const KEEP_CHARS = 64 * 1024;

/**
 * Reads just the lines that `diagnostics` point into, for rendering excerpts of files too large to hold in memory
 * (datasets). `resolve` maps a displayed file name to a path to read, or undefined to skip that file. Unreadable
 * files are skipped: the excerpt is a courtesy, the diagnostic stands without it.
 */
export async function collectSourceLines(
  diagnostics: readonly Diagnostic[],
  resolve: (displayFile: string) => string | undefined,
): Promise<Map<string, Map<number, string>>> {
  const wanted = new Map<string, Set<number>>();
  for (const d of diagnostics) {
    if (d.span) wanted.set(d.span.file, (wanted.get(d.span.file) ?? new Set<number>()).add(d.span.line));
  }
  const out = new Map<string, Map<number, string>>();
  for (const [file, lines] of wanted) {
    const path = resolve(file);
    if (path === undefined) continue;
    const found = new Map<number, string>();
    const last = Math.max(...lines);
    try {
      for await (const item of splitLines(createReadStream(path), KEEP_CHARS * 4)) {
        if (item.kind === "line" && lines.has(item.line)) found.set(item.line, item.text.slice(0, KEEP_CHARS));
        if (item.line >= last) break;
      }
    } catch {
      continue;
    }
    out.set(file, found);
  }
  return out;
}

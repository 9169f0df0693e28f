import { readSourceFile } from "./read-source.js";
import type { SourceFile } from "./types.js";

/**
 * The columns a template can use: a CSV file's header, or the keys of the first JSON(L) object. Undefined when the
 * file has no readable first row (its problems are reported when it is read). Reads only as far as the first row.
 */
export async function peekColumns(file: SourceFile): Promise<string[] | undefined> {
  const rows = readSourceFile(file, { maxLineBytes: 8 * 1024 * 1024 });
  try {
    for await (const row of rows) {
      if (row.kind === "error") {
        if (row.diagnostic.severity === "warning") continue;
        return undefined;
      }
      const v = row.value;
      return v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : undefined;
    }
    return undefined;
  } finally {
    await rows.return(undefined);
  }
}

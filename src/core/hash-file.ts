import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { relativePosix } from "./display-path.js";

/**
 * sha256 (hex) of a file's bytes, or undefined when it cannot be read (the caller reports missing files its own
 * way). One 1 MB buffer is reused: a read stream allocates a buffer per chunk, and on a large file those wait for
 * the garbage collector by the hundred (tens of MB of peak RSS); its default 64 KB chunks also cost more in calls.
 */
export async function sha256OfFile(file: string): Promise<string | undefined> {
  const hash = createHash("sha256");
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/**
 * sha256 of each readable file, keyed by its path relative to `root` with / separators (never absolute: clones of
 * the project must agree). A file that cannot be read is left out; the stage that reads it reports why.
 */
export async function sha256OfFiles(root: string, files: Iterable<string>): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of [...new Set(files)].sort()) {
    const hash = await sha256OfFile(file);
    if (hash !== undefined) hashes[relativePosix(root, file)] = hash;
  }
  return hashes;
}

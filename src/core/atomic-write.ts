import { randomBytes } from "node:crypto";
import { open, readdir, rename, unlink } from "node:fs/promises";
import path from "node:path";

/**
 * Replaces `file` with `content` so that a crash at any instant leaves either the old file or the new one, never a
 * torn mix: write a temp file in the same directory (rename is atomic only within a file system), fsync it, rename
 * it over the target, then fsync the directory so the rename itself survives a power loss.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", 0o644);
  try {
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  // Some platforms (Windows) cannot open a directory for fsync; the rename is still atomic there.
  const handle = await open(dir, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on file systems that do not support directory fsync: nothing more we can do.
  } finally {
    await handle.close();
  }
}

/**
 * Removes temp files that a writer killed mid-write left beside `file` (a crash between the temp write and the
 * rename). Only call this while holding the run lock: a live writer's temp file would otherwise vanish under it.
 */
export async function removeOrphanedTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && n.endsWith(".tmp"))
      .map((n) => unlink(path.join(dir, n)).catch(() => {})),
  );
}

import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";

/** A written and synced temp file, not yet under its name (it may come from another thread). */
export interface SealedFile {
  target: string;
  temp: string;
  sha256: string;
  lines: number;
}

/** A fresh temp name beside a target. */
export function tempPathFor(target: string): string {
  return `${target}.tmp-${randomUUID()}`;
}

/** Makes a sealed file visible under its name (atomically: a rename). */
export async function publish(file: SealedFile): Promise<void> {
  await rename(file.temp, file.target);
}

/** Drops a sealed file. */
export async function discard(file: SealedFile): Promise<void> {
  await rm(file.temp, { force: true });
}

/**
 * Writes a JSONL file atomically: lines go to a temp file beside the target (hashed on the way), and only
 * {@link commit} (fsync, then rename) makes it appear under its name. A crash leaves the old file intact.
 */
export class JsonlWriter {
  private readonly hash = createHash("sha256");
  lines = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    readonly target: string,
  ) {}

  /** A writer for `target`, through `tempPath` (default: a fresh name beside it). */
  static async create(target: string, tempPath = tempPathFor(target)): Promise<JsonlWriter> {
    return new JsonlWriter(await open(tempPath, "w"), tempPath, target);
  }

  /**
   * Writes `count` lines that are already compact JSON as UTF-8, each ending in a newline (from a scan), at once:
   * when it returns, `bytes` is no longer referenced and its buffer may be reused.
   */
  async writeLines(bytes: Uint8Array, count: number): Promise<void> {
    this.lines += count;
    this.hash.update(bytes);
    await this.handle.write(bytes);
  }

  /** Makes the file visible under its name; returns its sha256 (hex). */
  async commit(): Promise<string> {
    const sealed = await this.seal();
    await publish(sealed);
    return sealed.sha256;
  }

  /** Finishes the temp file (synced, closed) without publishing it: see {@link publish} and {@link discard}. */
  async seal(): Promise<SealedFile> {
    await this.handle.sync();
    await this.handle.close();
    return { target: this.target, temp: this.tempPath, sha256: this.hash.digest("hex"), lines: this.lines };
  }

  /** Drops the temp file. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }
}

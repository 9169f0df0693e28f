import { randomUUID } from "node:crypto";
import { readSync } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import path from "node:path";
import type { DataItem } from "./item.js";

const FLUSH_BYTES = 1 << 20;
const READ_WINDOW = 1 << 20;

/**
 * A temp file of items, one JSON line each, with an index of byte offsets. Transforms that need every example
 * (shuffle, sample, split) spill to it and then read back by index, so memory holds offsets (12 bytes an
 * example), never the examples themselves.
 */
export class Spill {
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private pending: string[] = [];
  private pendingBytes = 0;
  private size = 0;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  count = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly filePath: string,
  ) {}

  /** A new spill file in `dir` (which must exist). Call {@link dispose} when done. */
  static async create(dir: string): Promise<Spill> {
    const filePath = path.join(dir, `spill-${randomUUID()}.jsonl`);
    return new Spill(await open(filePath, "w+"), filePath);
  }

  async append(item: DataItem): Promise<void> {
    let fileId = this.fileIndex.get(item.file);
    if (fileId === undefined) {
      fileId = this.files.length;
      this.files.push(item.file);
      this.fileIndex.set(item.file, fileId);
    }
    const line = `${JSON.stringify([fileId, item.line, item.value])}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = this.size + this.pendingBytes;
    this.lengths[this.count] = bytes;
    this.count++;
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** Writes everything appended so far; reading flushes first, so callers rarely need this. */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = this.pending.join("");
    this.pending = [];
    const written = this.pendingBytes;
    this.pendingBytes = 0;
    await this.handle.write(chunk, this.size, "utf8");
    this.size += written;
  }

  /**
   * The items in the given order of indices (default: all, as appended). Reads go through a 1 MiB window when
   * the next wanted item lies just ahead (in-order and sparse ascending reads, e.g. one side of a split);
   * otherwise (a shuffle) each item is read on its own.
   */
  async *read(order?: ArrayLike<number>): AsyncGenerator<DataItem> {
    await this.flush();
    const n = order ? order.length : this.count;
    let window = Buffer.alloc(0);
    let windowStart = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      const offset = this.offsets[i]!;
      const length = this.lengths[i]!;
      const inWindow = offset >= windowStart && offset + length <= windowStart + window.length;
      if (!inWindow) {
        const next = k + 1 < n ? (order ? order[k + 1]! : k + 1) : -1;
        const ahead = next > i && this.offsets[next]! - offset < READ_WINDOW;
        window = Buffer.allocUnsafe(Math.min(ahead ? Math.max(READ_WINDOW, length) : length, this.size - offset));
        // Synchronous positional reads: a shuffle makes one small read per example, and the promise round trip
        // of an async read costs several times the read itself. The file is a local temp file we just wrote.
        readSync(this.handle.fd, window, 0, window.length, offset);
        windowStart = offset;
      }
      const start = offset - windowStart;
      const [fileId, line, value] = JSON.parse(window.toString("utf8", start, start + length)) as [
        number,
        number,
        unknown,
      ];
      yield { value, file: this.files[fileId]!, line };
    }
  }

  async dispose(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.filePath, { force: true });
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

/** Spills a whole stream, then hands it to `use`, and always removes the file afterwards. */
export async function* withSpill<T>(
  items: AsyncIterable<DataItem>,
  dir: string,
  use: (spill: Spill) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const spill = await Spill.create(dir);
  try {
    for await (const item of items) await spill.append(item);
    yield* use(spill);
  } finally {
    await spill.dispose();
  }
}

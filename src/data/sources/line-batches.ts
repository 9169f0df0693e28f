import { open } from "node:fs/promises";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { lineTooLong, readFailure } from "./jsonl.js";
import type { ReadLimits, SourceFile } from "./types.js";

/**
 * A run of whole lines of a JSONL file, still as bytes, or the report that one line was too long (its bytes were
 * not kept), or a read failure. `bytes` owns its ArrayBuffer, so it can be transferred to a worker thread.
 */
export type LineBatch =
  | {
      kind: "lines";
      bytes: Uint8Array;
      /** 1-based line number of the first line in `bytes`. */
      firstLine: number;
    }
  | { kind: "problem"; diagnostic: Diagnostic };

/**
 * Cuts a JSONL file into batches of whole lines of about `limits.chunkBytes` each, without decoding anything:
 * finding newlines is all the reading thread does, so decoding, parsing, checking and counting can run in
 * workers. Memory stays bounded by a batch plus the longest accepted line; a line past `maxLineBytes` is
 * reported as `line-too-long` and skipped unread, as the line-by-line reader does.
 */
export async function* readLineBatches(
  file: SourceFile,
  limits: ReadLimits,
  buffers: BufferSource = freshBuffers,
): AsyncGenerator<LineBatch> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.path, "r");
  } catch (err) {
    yield { kind: "problem", diagnostic: readFailure(file.display, err) };
    return;
  }
  const readBytes = Math.max(1, limits.chunkBytes);
  let carry: Uint8Array = EMPTY;
  /** Line number of the first line in `carry` (the next batch's first line). */
  let line = 1;
  /** Set while skipping the rest of a too-long line: its bytes are dropped up to the next newline. */
  let skipping = false;
  /** How many leading bytes of `carry` are known to hold no newline, so they are not searched again. */
  let clean = 0;
  try {
    for (;;) {
      // A buffer that nothing else uses: it is handed over (transferred) whole, and comes back through `buffers`.
      // A line longer than a batch is read in doubling steps, so its bytes are copied a few times in all instead
      // of once per batch-sized read (quadratic in the line's length); never past one byte over the line limit.
      const want = Math.max(readBytes, Math.min(carry.length, limits.maxLineBytes + 1 - carry.length));
      const buffer = buffers.take(carry.length + want);
      buffer.set(carry, 0);
      const { bytesRead } = await handle.read(buffer, carry.length, want, null);
      const end = carry.length + bytesRead;
      if (bytesRead === 0) {
        // A last line without a newline.
        if (carry.length > 0 && !skipping) yield { kind: "lines", bytes: new Uint8Array(carry), firstLine: line };
        return;
      }
      if (skipping) {
        const nl = buffer.indexOf(0x0a, 0);
        if (nl === -1 || nl >= end) {
          carry = EMPTY;
          continue;
        }
        skipping = false;
        line++;
        carry = new Uint8Array(buffer.subarray(nl + 1, end));
        clean = 0;
        continue;
      }
      const found = buffer.subarray(clean, end).lastIndexOf(0x0a);
      const lastNl = found === -1 ? -1 : clean + found;
      if (lastNl === -1) {
        if (end > limits.maxLineBytes) {
          yield { kind: "problem", diagnostic: lineTooLong(file.display, line, limits.maxLineBytes) };
          skipping = true;
          carry = EMPTY;
        } else {
          carry = buffer.subarray(0, end);
        }
        clean = carry.length;
        continue;
      }
      // Copy the partial last line out before the buffer is handed over.
      // (new Uint8Array copies into its own memory; Buffer.from could share Node's pool, which must never move.)
      carry = new Uint8Array(buffer.subarray(lastNl + 1, end));
      clean = carry.length;
      const bytes = buffer.subarray(0, lastNl + 1);
      const firstLine = line;
      line += countNewlines(bytes);
      yield { kind: "lines", bytes, firstLine };
    }
  } catch (err) {
    yield { kind: "problem", diagnostic: readFailure(file.display, err) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Where batches' buffers come from: each must own its whole ArrayBuffer (never Node's shared pool). */
export interface BufferSource {
  /** A buffer of at least `bytes` bytes whose ArrayBuffer nothing else uses. */
  take(bytes: number): Buffer;
}

const freshBuffers: BufferSource = { take: (bytes) => Buffer.allocUnsafeSlow(bytes) };

/**
 * Recycles the ArrayBuffers of batches that came back from workers. Allocating a fresh megabyte per batch and
 * freeing it on another thread fragments the C heap: RSS grew by about 2 MB per batch in measurements, without
 * bound. Buffers larger than the usual size (a batch holding a very long line) are not kept.
 */
export class BufferRecycler implements BufferSource {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly size: number) {}

  take(bytes: number): Buffer {
    if (bytes > this.size) return Buffer.allocUnsafeSlow(bytes);
    const reused = this.free.pop();
    return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(this.size);
  }

  /** Gives back a batch's ArrayBuffer once nothing reads it any more. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === this.size && this.free.length < 16) this.free.push(buffer);
  }
}

const EMPTY = new Uint8Array(0);

/** Newline bytes in `bytes`. */
export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) n++;
  return n;
}

import { isUtf8 } from "node:buffer";

/**
 * A line of a byte stream, or the report that a line was longer than the limit (its bytes were not kept), or that
 * it is not valid UTF-8 (decoding would silently turn its bad bytes into U+FFFD and change the data).
 */
export type SplitLine =
  | { kind: "line"; text: string; line: number }
  | { kind: "too-long"; line: number; bytes: number }
  | { kind: "invalid-utf8"; line: number };

/**
 * Splits a stream of bytes into lines (LF or CRLF; the last line may lack a newline), decoding each as UTF-8.
 * Memory stays bounded by the longest accepted line: a line past `maxLineBytes` is counted and skipped, not
 * buffered, which readline cannot do.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  // ignoreBOM keeps a BOM in the text, so the reader can see (and report) it rather than have it vanish.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = false;
  let line = 1;
  const finish = (): SplitLine => {
    if (overflow) return { kind: "too-long", line, bytes: partBytes };
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (!isUtf8(bytes)) return { kind: "invalid-utf8", line };
    return { kind: "line", text: decoder.decode(bytes), line };
  };
  for await (const chunk of chunks) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      partBytes += piece.length;
      if (partBytes > maxLineBytes) {
        overflow = true;
        parts = [];
      } else if (piece.length > 0) {
        parts.push(piece);
      }
      if (nl === -1) break;
      yield finish();
      parts = [];
      partBytes = 0;
      overflow = false;
      line += 1;
      start = nl + 1;
    }
  }
  if (partBytes > 0 || overflow) yield finish();
}

import { createReadStream } from "node:fs";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { findJsonError, lineColAt } from "./json-error.js";
import { readFailure } from "./jsonl.js";
import type { SourceFile, SourceRow } from "./types.js";

const Ch = {
  LF: 0x0a,
  Quote: 0x22,
  Backslash: 0x5c,
  Comma: 0x2c,
  OpenBracket: 0x5b,
  CloseBracket: 0x5d,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
} as const;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Reads a JSON file holding an array, yielding one row per element without parsing the whole file: a byte scanner
 * finds where each top-level element starts and ends (tracking strings and nesting), and only that element is
 * handed to JSON.parse. Memory is bounded by the largest element; one past `maxLineBytes` is reported and skipped.
 */
export async function* readJsonArray(file: SourceFile, maxLineBytes: number): AsyncGenerator<SourceRow> {
  const stream = createReadStream(file.path, { highWaterMark: 256 * 1024 });
  const error = (code: string, message: string, line: number, col: number): SourceRow => ({
    kind: "error",
    diagnostic: { severity: "error", code, message, span: { file: file.display, line, col } } satisfies Diagnostic,
  });
  let phase: "start" | "array" | "after" | "done" = "start";
  let line = 1;
  let col = 1;
  let offset = 0;
  // The element being collected.
  let collecting = false;
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startLine = 0;
  let startCol = 0;
  const finish = (): SourceRow => {
    collecting = false;
    if (overflow) {
      overflow = false;
      return error(
        "line-too-long",
        `the array element is longer than ${maxLineBytes} bytes; it was skipped`,
        startLine,
        startCol,
      );
    }
    const text = Buffer.concat(parts, size).toString("utf8").trimEnd();
    parts = [];
    try {
      return { kind: "row", value: JSON.parse(text), file: file.display, line: startLine };
    } catch {
      const at = findJsonError(text);
      const pos = lineColAt(text, at.offset);
      const c = pos.lineOffset === 0 ? startCol + pos.col - 1 : pos.col;
      return error("invalid-json", `invalid JSON: ${at.message}`, startLine + pos.lineOffset, c);
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let segment = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (phase === "start") {
          if (offset === 0 && b === 0xef && chunk[i + 1] === 0xbb && chunk[i + 2] === 0xbf) {
            i += 2;
            offset += 3;
            continue;
          }
          if (!isSpace(b)) {
            if (b !== Ch.OpenBracket) {
              yield error(
                "json-not-array",
                `${file.display} must hold a JSON array of examples: [ {...}, {...} ]`,
                line,
                col,
              );
              phase = "done";
              break;
            }
            phase = "array";
          }
        } else if (phase === "array") {
          if (!collecting) {
            if (b === Ch.CloseBracket) phase = "after";
            else if (!isSpace(b) && b !== Ch.Comma) {
              collecting = true;
              segment = i;
              size = 0;
              depth = 0;
              inString = false;
              escaped = false;
              startLine = line;
              startCol = col;
            }
          }
          if (collecting) {
            let ends = false;
            if (inString) {
              if (escaped) escaped = false;
              else if (b === Ch.Backslash) escaped = true;
              else if (b === Ch.Quote) inString = false;
            } else if (b === Ch.Quote) inString = true;
            else if (b === Ch.OpenBrace || b === Ch.OpenBracket) depth++;
            else if ((b === Ch.CloseBrace || b === Ch.CloseBracket) && depth > 0) depth--;
            else if (depth === 0 && (b === Ch.Comma || b === Ch.CloseBracket)) ends = true;
            if (ends) {
              keep(chunk.subarray(segment, i));
              yield finish();
              if (b === Ch.CloseBracket) phase = "after";
            }
          }
        } else if (phase === "after" && !isSpace(b)) {
          yield error("invalid-json", "unexpected content after the closing `]`", line, col);
          phase = "done";
          break;
        }
        if (b === Ch.LF) {
          line++;
          col = 1;
        } else if ((b & 0xc0) !== 0x80) col++;
        offset++;
      }
      if (phase === "done") break;
      if (collecting) keep(chunk.subarray(segment));
    }
  } catch (err) {
    yield { kind: "error", diagnostic: readFailure(file.display, err) };
    return;
  } finally {
    stream.destroy();
  }
  if (collecting) {
    yield error("invalid-json", "the JSON array is not closed with `]`", startLine, startCol);
  } else if (phase === "start") {
    yield error("json-not-array", `${file.display} is empty; expected a JSON array of examples`, 1, 1);
  } else if (phase === "array") {
    yield error("invalid-json", "the JSON array is not closed with `]`", line, col);
  }

  function keep(piece: Buffer): void {
    size += piece.length;
    if (size > maxLineBytes) {
      overflow = true;
      parts = [];
    } else if (!overflow && piece.length > 0) parts.push(piece);
  }
}

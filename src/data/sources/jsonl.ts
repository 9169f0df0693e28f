import { createReadStream } from "node:fs";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { findJsonError } from "./json-error.js";
import { splitLines } from "../../core/line-splitter.js";
import type { ReadLimits, SourceFile, SourceRow } from "./types.js";

const BOM = "\uFEFF";

/**
 * Reads JSON Lines one line at a time. Blank lines are skipped, CRLF and a missing final newline are fine, a BOM
 * on the first line is dropped with a warning, and a line that is not JSON becomes an error row with its line
 * and column; reading goes on, so every bad line is reported in one pass.
 */
export async function* readJsonl(file: SourceFile, limits: ReadLimits): AsyncGenerator<SourceRow> {
  const { maxLineBytes } = limits;
  const stream = createReadStream(file.path, { highWaterMark: limits.chunkBytes });
  const problem = (diagnostic: Diagnostic): SourceRow => ({ kind: "error", diagnostic });
  try {
    for await (const item of splitLines(stream, maxLineBytes)) {
      if (item.kind === "too-long") {
        yield problem(lineTooLong(file.display, item.line, maxLineBytes));
        continue;
      }
      if (item.kind === "invalid-utf8") {
        yield problem(invalidUtf8Line(file.display, item.line));
        continue;
      }
      let text = item.text;
      let colShift = 0;
      if (item.line === 1 && text.startsWith(BOM)) {
        text = text.slice(1);
        colShift = 1;
        yield problem(byteOrderMark(file.display));
      }
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        const at = findJsonError(text);
        yield problem({
          severity: "error",
          code: "invalid-json",
          message: `line ${item.line} is not valid JSON: ${at.message}`,
          span: { file: file.display, line: item.line, col: at.offset + 1 + colShift },
        });
        continue;
      }
      yield { kind: "row", value, file: file.display, line: item.line };
    }
  } catch (err) {
    yield problem(readFailure(file.display, err));
  } finally {
    stream.destroy();
  }
}

export function lineTooLong(display: string, line: number, maxLineBytes: number): Diagnostic {
  return {
    severity: "error",
    code: "line-too-long",
    message: `line ${line} is longer than ${maxLineBytes} bytes; it was skipped`,
    span: { file: display, line, col: 1 },
    hint: "is this really one example per line? A JSON array file should be named .json",
  };
}

export function invalidUtf8Line(display: string, line: number): Diagnostic {
  return {
    severity: "error",
    code: "invalid-encoding",
    message: `line ${line} is not valid UTF-8; it was skipped`,
    span: { file: display, line, col: 1 },
    hint: "save the file as UTF-8 (the service rejects other encodings)",
  };
}

export function byteOrderMark(display: string): Diagnostic {
  return {
    severity: "warning",
    code: "byte-order-mark",
    message: `${display} starts with a UTF-8 byte order mark; it was ignored`,
    span: { file: display, line: 1, col: 1 },
  };
}

/** An I/O failure while reading (vanished file, permissions, a directory): reported, not thrown. */
export function readFailure(display: string, err: unknown): Diagnostic {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return { severity: "error", code: "missing-file", message: `${display} does not exist` };
  return {
    severity: "error",
    code: "unreadable-file",
    message: `cannot read ${display}: ${code ?? (err as Error)?.message ?? String(err)}`,
  };
}

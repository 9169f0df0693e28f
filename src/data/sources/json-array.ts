import type { DiagnosticCode } from "../../diagnostics/codes.js";
import { createReadStream } from "node:fs";
import { JsonArrayScanner, type ScanEvent } from "./json-array-scanner.js";
import { findJsonError, lineColAt } from "./json-error.js";
import { readFailure } from "./jsonl.js";
import type { ReadLimits, SourceFile, SourceRow } from "./types.js";

/**
 * Reads a JSON file holding an array, yielding one row per element without parsing the whole file: a byte scanner
 * finds where each top-level element starts and ends, and only that element is handed to JSON.parse. Memory is
 * bounded by the largest element; one past `maxLineBytes` is reported and skipped.
 */
export async function* readJsonArray(file: SourceFile, limits: ReadLimits): AsyncGenerator<SourceRow> {
  const { maxLineBytes } = limits;
  const stream = createReadStream(file.path, { highWaterMark: limits.chunkBytes });
  const error = (code: DiagnosticCode, message: string, line: number, col: number): SourceRow => ({
    kind: "error",
    diagnostic: { severity: "error", code, message, span: { file: file.display, line, col } },
  });
  const toRow = (e: ScanEvent): SourceRow => {
    switch (e.kind) {
      case "element": {
        const text = e.bytes.toString("utf8").trimEnd();
        try {
          return { kind: "row", value: JSON.parse(text), file: file.display, line: e.line };
        } catch {
          const at = findJsonError(text);
          const pos = lineColAt(text, at.offset);
          const col = pos.lineOffset === 0 ? e.col + pos.col - 1 : pos.col;
          return error("invalid-json", `invalid JSON: ${at.message}`, e.line + pos.lineOffset, col);
        }
      }
      case "too-long":
        return error(
          "line-too-long",
          `the array element is longer than ${maxLineBytes} bytes; it was skipped`,
          e.line,
          e.col,
        );
      case "not-array":
        return error(
          "json-not-array",
          `${file.display} must hold a JSON array of examples: [ {...}, {...} ]`,
          e.line,
          e.col,
        );
      case "trailing":
        return error("invalid-json", "unexpected content after the closing `]`", e.line, e.col);
    }
  };
  const scanner = new JsonArrayScanner(maxLineBytes);
  const events: ScanEvent[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanner.scan(chunk, events);
      for (const e of events) yield toRow(e);
      events.length = 0;
      if (scanner.phase === "done") break;
    }
  } catch (err) {
    yield { kind: "error", diagnostic: readFailure(file.display, err) };
    return;
  } finally {
    stream.destroy();
  }
  if (scanner.collecting) {
    yield error("invalid-json", "the JSON array is not closed with `]`", scanner.startLine, scanner.startCol);
  } else if (scanner.phase === "start") {
    yield error("json-not-array", `${file.display} is empty; expected a JSON array of examples`, 1, 1);
  } else if (scanner.phase === "array") {
    yield error("invalid-json", "the JSON array is not closed with `]`", scanner.line, scanner.col);
  }
}

import type { DiagnosticCode } from "../../diagnostics/codes.js";
import { createReadStream } from "node:fs";
import { type CsvError, parse } from "csv-parse";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { readFailure } from "./jsonl.js";
import { drainInOrder } from "./stream-queue.js";
import type { ReadLimits, SourceFile, SourceRow } from "./types.js";

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Reads a CSV file with a header row, yielding one object per record (header name -> cell text). Quoted fields
 * may span lines; CRLF, a BOM and blank lines are fine. A record with the wrong number of fields is an error row;
 * a syntax error (an unclosed quote) ends the file with an error row, since the parser cannot resynchronize.
 */
export async function* readCsv(file: SourceFile, limits: ReadLimits): AsyncGenerator<SourceRow> {
  const { maxLineBytes } = limits;
  const stream = createReadStream(file.path, { highWaterMark: limits.chunkBytes });
  const parser = stream.pipe(
    parse({
      delimiter: file.delimiter ?? ",",
      record_delimiter: ["\r\n", "\n"],
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: maxLineBytes,
    }),
  );
  stream.on("error", (err) => parser.destroy(err));
  const problem = (code: DiagnosticCode, message: string, line?: number, hint?: string): SourceRow => {
    const diagnostic: Diagnostic = { severity: "error", code, message };
    if (line !== undefined) diagnostic.span = { file: file.display, line, col: 1 };
    if (hint) diagnostic.hint = hint;
    return { kind: "error", diagnostic };
  };
  let header: string[] | undefined;
  let stopped = false;
  // csv-parse counts a CRLF inside a quoted field as two lines; this corrects for it.
  let crlfInFields = 0;
  try {
    for await (const next of drainInOrder<CsvRecord>(parser)) {
      if (next.kind === "error") {
        stopped = true;
        yield csvFailure(next.error, file.display, maxLineBytes);
        break;
      }
      const { record, info } = next.item;
      const inFields = record.reduce((n, f) => n + count(f, "\n"), 0);
      crlfInFields += record.reduce((n, f) => n + count(f, "\r\n"), 0);
      const endLine = info.lines - crlfInFields;
      const line = endLine - inFields;
      if (!header) {
        header = record.map((h) => h.trim());
        const problems = headerProblems(header);
        if (problems) {
          yield problem("csv-header", problems, line, "the first row names the columns, e.g. question,answer");
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        yield problem(
          "csv-field-count",
          `line ${line} has ${record.length} field${record.length === 1 ? "" : "s"}; the header has ${header.length}`,
          line,
          'quote fields that contain the delimiter, e.g. "Hello, world"',
        );
        continue;
      }
      const value = Object.fromEntries(header.map((h, i) => [h, record[i] ?? ""]));
      yield { kind: "row", value, file: file.display, line };
    }
  } finally {
    stream.destroy();
  }
  if (!header && !stopped) yield problem("csv-header", `${file.display} is empty; expected a header row`, 1);
}

function csvFailure(err: unknown, display: string, maxLineBytes: number): SourceRow {
  const csv = err as CsvError & { lines?: number };
  const at = csv.lines === undefined ? {} : { span: { file: display, line: csv.lines, col: 1 } };
  if (csv.code === "CSV_MAX_RECORD_SIZE") {
    const message = `a record near line ${csv.lines} is longer than ${maxLineBytes} bytes; reading stopped`;
    return { kind: "error", diagnostic: { severity: "error", code: "line-too-long", message, ...at } };
  }
  if (typeof csv.code === "string" && csv.code.startsWith("CSV_")) {
    const message = `${csvMessage(csv)}; reading stopped`;
    const hint = 'a field with quotes must be quoted, with inner quotes doubled: "say ""hi"""';
    return { kind: "error", diagnostic: { severity: "error", code: "csv-syntax", message, ...at, hint } };
  }
  return { kind: "error", diagnostic: readFailure(display, err) };
}

function headerProblems(header: string[]): string | undefined {
  const empty = header.indexOf("");
  if (empty !== -1) return `column ${empty + 1} of the header row has no name`;
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) return `the header names column \`${h}\` twice`;
    seen.add(h);
  }
  return undefined;
}

function csvMessage(err: CsvError): string {
  // csv-parse messages end with a copy of the offending value, which can be long; keep the first clause.
  return (err.message.split(/, value is |:\s*got /)[0] ?? err.message).replace(/ at line \d+/, "").trim();
}

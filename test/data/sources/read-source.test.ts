import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Source } from "../../../src/core/pipeline.generated.js";
import { expandSource } from "../../../src/data/sources/expand.js";
import { peekColumns } from "../../../src/data/sources/peek-columns.js";
import { readSource } from "../../../src/data/sources/read-source.js";
import type { ReadOptions, SourceRow } from "../../../src/data/sources/types.js";
import { REPO_ROOT } from "../../helpers/paths.js";
import { tempDir } from "../../helpers/temp-dir.js";

async function collect(spec: Source, baseDir: string, options?: ReadOptions) {
  const rows: { value: unknown; file: string; line: number }[] = [];
  const problems: string[] = [];
  for await (const row of readSource(spec, baseDir, baseDir, options) as AsyncIterable<SourceRow>) {
    if (row.kind === "row") rows.push({ value: row.value, file: row.file, line: row.line });
    else {
      const s = row.diagnostic.span;
      problems.push(
        `${s ? `${s.file}:${s.line}:${s.col} ` : ""}${row.diagnostic.severity}[${row.diagnostic.code}] ${row.diagnostic.message}`,
      );
    }
  }
  return { rows, problems };
}

async function files(entries: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(entries)) await writeFile(path.join(dir, name), content);
  return dir;
}

describe("jsonl", () => {
  it("reads the Elle files with their quirks (space after {, space before ], no final newline)", async () => {
    const dir = path.join(REPO_ROOT, "pipelines/data/elle");
    const train = await collect("training-data.jsonl", dir);
    const validation = await collect("validation-data.jsonl", dir);
    expect(train.problems).toEqual([]);
    expect(validation.problems).toEqual([]);
    expect(train.rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(validation.rows).toHaveLength(5);
    const first = train.rows[0]!.value as { messages: { role: string }[] };
    expect(first.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
  });

  it("accepts CRLF, blank lines, a BOM (with a warning) and no final newline", async () => {
    const dir = await files({ "d.jsonl": '\uFEFF{"a":1}\r\n\r\n  \n{"a":2}\r\n{"a":3}' });
    const { rows, problems } = await collect("d.jsonl", dir);
    expect(rows.map((r) => [r.value, r.line])).toEqual([
      [{ a: 1 }, 1],
      [{ a: 2 }, 4],
      [{ a: 3 }, 5],
    ]);
    expect(problems).toEqual([
      "d.jsonl:1:1 warning[byte-order-mark] d.jsonl starts with a UTF-8 byte order mark; it was ignored",
    ]);
  });

  it("reports every bad line with its line and column and keeps reading", async () => {
    const dir = await files({
      "d.jsonl": ['{"a":1}', "{'a':2}", '{"a":3,}', "not json", '{"a":"unterminated}', '{"a":6}'].join("\n"),
    });
    const { rows, problems } = await collect("d.jsonl", dir);
    expect(rows.map((r) => r.line)).toEqual([1, 6]);
    expect(problems).toEqual([
      'd.jsonl:2:2 error[invalid-json] line 2 is not valid JSON: expected a "key", found `\'`',
      "d.jsonl:3:8 error[invalid-json] line 3 is not valid JSON: trailing comma before `}`",
      "d.jsonl:4:1 error[invalid-json] line 4 is not valid JSON: unexpected `n`",
      "d.jsonl:5:6 error[invalid-json] line 5 is not valid JSON: unterminated string",
    ]);
  });

  it("skips a line longer than the limit without holding it, and reads on", async () => {
    const long = `{"a":"${"x".repeat(3 * 1024 * 1024)}"}`;
    const dir = await files({ "d.jsonl": `{"a":1}\n${long}\n{"a":3}\n` });
    const { rows, problems } = await collect("d.jsonl", dir, { maxLineBytes: 1024 * 1024 });
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(problems).toEqual(["d.jsonl:2:1 error[line-too-long] line 2 is longer than 1048576 bytes; it was skipped"]);
  });
});

describe("json arrays", () => {
  it("yields each element with the line it starts on", async () => {
    const dir = await files({ "d.json": '[\n  {"a": 1},\n  {"a": "x,]}"},\r\n  {\n    "a": [3]\n  }\n]\n' });
    const { rows, problems } = await collect("d.json", dir);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.value, r.line])).toEqual([
      [{ a: 1 }, 2],
      [{ a: "x,]}" }, 3],
      [{ a: [3] }, 4],
    ]);
  });

  it("reports a bad element at its line and column, and a file that is not an array", async () => {
    const dir = await files({
      "bad.json": '[\n  {"a": 1},\n  {"a" 2},\n  {"a": 3}\n]',
      "obj.json": '{"a": 1}',
      "open.json": '[{"a": 1},',
    });
    expect((await collect("bad.json", dir)).problems).toEqual([
      "bad.json:3:8 error[invalid-json] invalid JSON: expected `:` after the key, found `2`",
    ]);
    expect((await collect("bad.json", dir)).rows.map((r) => r.line)).toEqual([2, 4]);
    expect((await collect("obj.json", dir)).problems).toEqual([
      "obj.json:1:1 error[json-not-array] obj.json must hold a JSON array of examples: [ {...}, {...} ]",
    ]);
    expect((await collect("open.json", dir)).problems).toEqual([
      "open.json:1:11 error[invalid-json] the JSON array is not closed with `]`",
    ]);
  });
});

describe("csv", () => {
  it("reads the faq example: 58 rows keyed by the header", async () => {
    const { rows, problems } = await collect("faq.csv", path.join(REPO_ROOT, "pipelines/data/faq"));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(58);
    expect(Object.keys(rows[0]!.value as object)).toEqual(["topic", "question", "answer"]);
    expect(rows[0]!.line).toBe(2);
  });

  it("numbers rows by their first line, across quoted newlines, CRLF and blank lines", async () => {
    const dir = await files({ "d.csv": '\uFEFFq,a\r\n"two\r\nlines",x\r\n\r\nb,"c ""quoted"""\r\nd,e' });
    const { rows, problems } = await collect("d.csv", dir);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.value, r.line])).toEqual([
      [{ q: "two\r\nlines", a: "x" }, 2],
      [{ q: "b", a: 'c "quoted"' }, 5],
      [{ q: "d", a: "e" }, 6],
    ]);
  });

  it("reports rows with the wrong field count and reads on; uses the delimiter of .tsv files", async () => {
    const dir = await files({ "d.csv": "q,a\n1,2\n3\n4,5,6\n7,8\n", "t.tsv": "q\ta\n1, one\t2\n" });
    const { rows, problems } = await collect("d.csv", dir);
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(problems).toEqual([
      "d.csv:3:1 error[csv-field-count] line 3 has 1 field; the header has 2",
      "d.csv:4:1 error[csv-field-count] line 4 has 3 fields; the header has 2",
    ]);
    expect((await collect("t.tsv", dir)).rows.map((r) => r.value)).toEqual([{ q: "1, one", a: "2" }]);
  });

  it("keeps the rows before a syntax error and stops there", async () => {
    const dir = await files({ "d.csv": 'q,a\n1,2\n"3,4\n' });
    const { rows, problems } = await collect("d.csv", dir);
    expect(rows.map((r) => r.value)).toEqual([{ q: "1", a: "2" }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^d\.csv:\d+:1 error\[csv-syntax\] Quote Not Closed/);
  });
});

describe("expansion and globs", () => {
  it("expands globs sorted, keeps list order, and reports missing files and empty globs", async () => {
    const dir = await files({ "b-2.jsonl": '{"f":"b2"}', "b-1.jsonl": '{"f":"b1"}', "a.jsonl": '{"f":"a"}' });
    const { rows, problems } = await collect(["a.jsonl", "b-*.jsonl", "c-*.jsonl", "missing.jsonl"], dir);
    expect(rows.map((r) => [r.value, r.file])).toEqual([
      [{ f: "a" }, "a.jsonl"],
      [{ f: "b1" }, "b-1.jsonl"],
      [{ f: "b2" }, "b-2.jsonl"],
    ]);
    expect(problems).toEqual([
      "error[glob-no-match] no file matches `c-*.jsonl` (relative to .)",
      "error[missing-file] missing.jsonl does not exist",
    ]);
  });

  it("takes the format from `format:` over the extension, and rejects unknown extensions", async () => {
    const dir = await files({ "data.txt": '{"a":1}\n', "notes.md": "# hi\n" });
    expect((await collect({ path: "data.txt", format: "jsonl" }, dir)).rows).toHaveLength(1);
    const expanded = await expandSource("notes.md", dir, dir);
    expect(expanded.files).toEqual([]);
    expect(expanded.diagnostics.map((d) => d.code)).toEqual(["unknown-format"]);
  });

  it("peeks the columns a template can use", async () => {
    const dir = await files({
      "d.csv": "question,answer\nq,a\n",
      "d.jsonl": '\n{"x":1,"y":2}\n',
      "d.json": '[{"k":1}]',
    });
    const [csv, jsonl, json] = (await expandSource(["d.csv", "d.jsonl", "d.json"], dir, dir)).files;
    expect(await peekColumns(csv!)).toEqual(["question", "answer"]);
    expect(await peekColumns(jsonl!)).toEqual(["x", "y"]);
    expect(await peekColumns(json!)).toEqual(["k"]);
    expect(await peekColumns({ ...csv!, path: path.join(dir, "missing.csv") })).toBeUndefined();
  });
});

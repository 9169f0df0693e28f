import { writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSource } from "../../../src/data/sources/read-source.js";
import { tempDir } from "../../helpers/temp-dir.js";

/**
 * The readers scan bytes across chunk boundaries (a line, a JSON element, a UTF-8 character or a CRLF may be split
 * anywhere). Reading with chunks of 1-16 bytes must give exactly what JSON.parse / a CSV writer round-trip give.
 */
async function read(file: string, chunkBytes: number) {
  const values: unknown[] = [];
  const lines: number[] = [];
  const problems: string[] = [];
  for await (const row of readSource(path.basename(file), path.dirname(file), path.dirname(file), { chunkBytes })) {
    if (row.kind === "row") {
      values.push(row.value);
      lines.push(row.line);
    } else problems.push(row.diagnostic.message);
  }
  return { values, lines, problems };
}

const text = fc.string({ unit: "grapheme", maxLength: 12 });
const object = fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));

describe("readers under arbitrary chunk boundaries", () => {
  it("jsonl: values and line numbers survive any chunking, CRLF and a missing final newline", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "d.jsonl");
    await fc.assert(
      fc.asyncProperty(
        fc.array(object, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 16 }),
        async (rows, crlf, finalNewline, chunkBytes) => {
          const eol = crlf ? "\r\n" : "\n";
          await writeFile(file, rows.map((r) => JSON.stringify(r)).join(eol) + (finalNewline ? eol : ""));
          const got = await read(file, chunkBytes);
          expect(got.problems).toEqual([]);
          expect(got.values).toEqual(rows.map(roundTrip));
          expect(got.lines).toEqual(rows.map((_, i) => i + 1));
        },
      ),
      { numRuns: 80, seed: 7 },
    );
  });

  it("json: array elements survive any chunking and indentation", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "d.json");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
        fc.constantFrom(0, 1, 2, "\t"),
        fc.integer({ min: 1, max: 16 }),
        async (elements, indent, chunkBytes) => {
          await writeFile(file, JSON.stringify(elements, null, indent));
          const got = await read(file, chunkBytes);
          expect(got.problems).toEqual([]);
          expect(got.values).toEqual(elements.map(roundTrip));
        },
      ),
      { numRuns: 80, seed: 11 },
    );
  });

  it("csv: quoted commas, quotes and newlines survive any chunking", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "d.csv");
    const cell = fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => s.replace(/\r/g, ""));
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 16 }),
        async (records, chunkBytes) => {
          const body = records.map(([a, b]) => `${quote(a)},${quote(b)}`).join("\n");
          await writeFile(file, `q,a\n${body}\n`);
          const got = await read(file, chunkBytes);
          expect(got.problems).toEqual([]);
          expect(got.values).toEqual(records.map(([q, a]) => ({ q, a })));
        },
      ),
      { numRuns: 80, seed: 13 },
    );
  });
});

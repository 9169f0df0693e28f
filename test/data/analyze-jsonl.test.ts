import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Source } from "../../src/core/pipeline.generated.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { DiagnosticSink } from "../../src/data/diagnostic-sink.js";
import { JsonlWriter } from "../../src/data/jsonl-writer.js";
import { ScanPool } from "../../src/data/scan-pool.js";
import { expandSource } from "../../src/data/sources/expand.js";
import { BufferRecycler, readLineBatches } from "../../src/data/sources/line-batches.js";
import { readSource } from "../../src/data/sources/read-source.js";
import { itemBatches, jsonlBatches, scanSet } from "../../src/data/scan-set.js";
import { tempDir } from "../helpers/temp-dir.js";

const good = (text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: `Q: ${text}` },
      { role: "assistant", content: text },
    ],
    ...extra,
  });

/** Every quirk the line-by-line reader handles, with multi-byte text to cut through at every batch size. */
const QUIRKY = [
  `\uFEFF${good("Ça va? Größe 中文 😀👩‍🔬 🇫🇷")}`,
  `${good("crlf line")}\r`,
  "",
  "   ",
  '{"messages": [',
  good("x".repeat(600)),
  JSON.stringify({
    messages: [
      { role: "user", content: "w ".repeat(90) },
      { role: "assistant", content: "ok" },
    ],
  }),
  good("weighted", { weight: 1 }),
  JSON.stringify({ messages: [{ content: "no role" }, { role: "assistant", content: "a <|endoftext|> b" }] }),
  good("привет мир こんにちは नमस्ते مرحبا"),
  JSON.stringify({ messages: [{ role: "user", content: "no assistant" }] }),
].join("\n");

describe("scanning JSONL as raw batches, in this thread", () => {
  it("gives the line-by-line reader's analysis exactly, at every batch size, across files and a missing one", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "a.jsonl"), QUIRKY);
    await writeFile(path.join(dir, "b.jsonl"), `${good("second file")}\n${good("ünïcödé")}\n`);
    const spec: Source = ["a.jsonl", "missing.jsonl", "b.jsonl"];
    const maxLineBytes = 500;
    const settings = {
      method: "supervised" as const,
      encoding: "o200k_base" as const,
      maxTokensPerExample: 60,
      maxLineBytes,
      wantLines: true,
    };
    const pool = await ScanPool.start(0);

    const lineSink = new DiagnosticSink(1000);
    async function* items() {
      for await (const row of readSource(spec, dir, dir, { maxLineBytes, chunkBytes: 7 })) {
        if (row.kind === "error") lineSink.add(row.diagnostic);
        else yield { value: row.value, file: row.file, line: row.line };
      }
    }
    const lineWriter = await JsonlWriter.create(path.join(dir, "line.jsonl"));
    // The reference: the line-by-line reader, its examples scanned as transformed examples are.
    const expected = await scanSet(itemBatches(items(), settings), {
      pool,
      maxTokensPerExample: 60,
      sink: lineSink,
      writer: lineWriter,
    });
    await lineWriter.commit();
    const expectedFile = await readFile(path.join(dir, "line.jsonl"), "utf8");

    const source = await expandSource(spec, dir, dir);
    for (const batchBytes of [1, 5, 64, 333, 1 << 16]) {
      const sink = new DiagnosticSink(1000);
      const writer = await JsonlWriter.create(path.join(dir, `scan-${batchBytes}.jsonl`));
      const buffers = new BufferRecycler(batchBytes + 1024);
      const stats = await scanSet(jsonlBatches(source, settings, buffers, batchBytes), {
        pool,
        maxTokensPerExample: 60,
        sink,
        writer,
        buffers,
      });
      await writer.commit();
      expect(stats, `batch ${batchBytes}`).toEqual(expected);
      // Read problems reach the reader's sink as they are read, ahead of the findings of the batch they fall in.
      expect(byLine(sink.all()), `batch ${batchBytes}`).toEqual(byLine(lineSink.all()));
      expect(await readFile(path.join(dir, `scan-${batchBytes}.jsonl`), "utf8")).toBe(expectedFile);
    }
    // The quirks really were exercised: each kind of problem is there.
    expect(new Set(lineSink.all().map((d) => d.code))).toEqual(
      new Set([
        "byte-order-mark",
        "invalid-json",
        "line-too-long",
        "missing-file",
        "data-unknown-key",
        "data-missing-role",
        "data-invalid-special-token",
        "data-missing-assistant",
        "data-over-token-limit",
      ]),
    );
    expect(expected.examples).toBe(9);
  });
});

function byLine(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.span?.file ?? ""}:${String(d.span?.line ?? 0).padStart(6, "0")}:${d.code}`;
  return [...diagnostics].sort((a, b) => key(a).localeCompare(key(b)));
}

describe("reading a line longer than a batch", () => {
  it("reads it in doubling steps, not one batch at a time, and keeps every byte", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "long.jsonl");
    const long = good("x".repeat(1024 * 1024));
    await writeFile(file, `${good("short")}\n${long}\n${good("after")}\n`);
    const sizes: number[] = [];
    const recording = {
      take: (bytes: number) => {
        sizes.push(bytes);
        return Buffer.allocUnsafeSlow(bytes);
      },
    };
    const source = { path: file, display: "long.jsonl", format: "jsonl" as const };
    const text: string[] = [];
    for await (const batch of readLineBatches(source, { maxLineBytes: 8 << 20, chunkBytes: 4096 }, recording)) {
      if (batch.kind !== "lines") throw new Error(`unexpected ${JSON.stringify(batch)}`);
      text.push(new TextDecoder().decode(batch.bytes));
    }
    const lines = text
      .join("")
      .split("\n")
      .filter((l) => l !== "");
    expect(lines).toEqual([good("short"), long, good("after")]);
    // 1 MiB in 4 KiB reads would take 256; doubling takes about log2(256) + a few.
    expect(sizes.length).toBeLessThan(16);
  });
});

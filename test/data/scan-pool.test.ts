import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeDataset } from "../../src/data/analyze.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { JsonlWriter } from "../../src/data/jsonl-writer.js";
import { ScanPool } from "../../src/data/scan-pool.js";
import { tempDir } from "../helpers/temp-dir.js";

// Workers run from the sources too (the .ts worker scripts through tsx): the same code users run from dist/.

describe("scanning plain JSONL in worker threads", () => {
  it("gives exactly the single-thread analysis and prepared files", async () => {
    const root = await tempDir();
    const words = ["Neon", "glows", "red,", "😀", "中文", "it's", "2024", "<|endoftext|>", "  ", "\n", "Größe"];
    // About 1.6 MB, so the workers get several batches each.
    const lines = Array.from({ length: 6000 }, (_, i) => {
      const text = Array.from({ length: 5 + (i % 40) }, (_, j) => words[(i * 7 + j) % words.length]).join(" ");
      const messages = [
        { role: "user", content: `q${i} ${text} ${"filler ".repeat(i % 30)}` },
        { role: "assistant", content: text, ...(i % 5 === 0 ? { weight: 0 } : {}) },
      ];
      if (i % 997 === 0) return "{not json";
      return JSON.stringify(i % 9 === 0 ? { messages, extra: true } : { messages });
    });
    await writeFile(path.join(root, "train.jsonl"), `${lines.join("\r\n")}\r\n`);
    await writeFile(path.join(root, "val.jsonl"), lines.slice(0, 50).join("\n"));
    await writeFile(
      path.join(root, "p.yaml"),
      "version: 1\nname: scan\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: train.jsonl\n  validation: val.jsonl\n",
    );
    const loaded = await loadPipeline("p.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const run = async (workers: number) => {
      const writers = {
        train: await JsonlWriter.create(path.join(root, `train-${workers}.jsonl`)),
        validation: await JsonlWriter.create(path.join(root, `val-${workers}.jsonl`)),
      };
      const analysis = await analyzeDataset(loaded.pipeline, {
        tempDir: root,
        minBytesForWorkers: 0,
        maxDiagnostics: 10_000,
        workers,
        writers,
      });
      await Promise.all([writers.train.commit(), writers.validation.commit()]);
      const files = await Promise.all(
        [`train-${workers}.jsonl`, `val-${workers}.jsonl`].map((f) => readFile(path.join(root, f), "utf8")),
      );
      return { analysis, files };
    };
    const single = await run(0);
    const pooled = await run(2);
    expect(pooled).toEqual(single);
    expect(single.analysis.train.examples).toBe(6000 - 7);
    expect(new Set(single.analysis.diagnostics.map((d) => d.code))).toEqual(
      new Set(["invalid-json", "data-invalid-special-token", "data-unknown-key", "data-more-problems"]),
    );

    const pool = await ScanPool.start(2);
    expect(pool.size).toBe(2);
    const example = {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello world" },
      ],
    };
    const bytes = new Uint8Array(Buffer.from(`${JSON.stringify(example)}\n`));
    const settings = {
      method: "supervised" as const,
      encoding: "o200k_base" as const,
      maxTokensPerExample: 100,
      maxLineBytes: 1000,
      wantLines: false,
    };
    const result = await pool.scan({ bytes, settings, file: "x.jsonl", firstLine: 2 });
    await pool.close();
    // 3 per message + role + content, twice, + 3 for the reply: [messages, tokens, assistant, approx, system, user]
    expect([result.examples, result.problems, [...result.stats]]).toEqual([
      1,
      [],
      [2, 3 + 3 + 1 + 1 + 1 + 2 + 3, 2, 0, 0, 1],
    ]);
    expect(bytes.byteLength).toBe(0); // transferred to the worker, not copied
  });
});

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeDataset } from "../../src/data/analyze.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { TokenPool } from "../../src/data/token-pool.js";
import { tempDir } from "../helpers/temp-dir.js";

// Workers run from the sources too (the .ts worker scripts through tsx): the same code users run from dist/.

describe("token counting in worker threads", () => {
  it("gives exactly the single-thread analysis", async () => {
    const root = await tempDir();
    const words = ["Neon", "glows", "red,", "😀", "中文", "it's", "2024", "<|endoftext|>", "  ", "\n"];
    const lines = Array.from({ length: 1500 }, (_, i) => {
      const text = Array.from({ length: 5 + (i % 40) }, (_, j) => words[(i * 7 + j) % words.length]).join(" ");
      const assistant =
        i % 5 === 0 ? { role: "assistant", content: text, weight: 0 } : { role: "assistant", content: text };
      const messages = [{ role: "user", content: `q${i} ${text}` }, assistant, { role: "assistant", content: "ok" }];
      return JSON.stringify(i % 9 === 0 ? { messages, extra: true } : { messages });
    });
    await writeFile(path.join(root, "train.jsonl"), `${lines.join("\n")}\n`);
    await writeFile(
      path.join(root, "p.yaml"),
      "version: 1\nname: pool\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: train.jsonl\n  transforms: [{ shuffle: { seed: 5 } }]\n",
    );
    const loaded = await loadPipeline("p.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const options = { tempDir: root, minBytesForWorkers: 0, maxDiagnostics: 10_000 };
    const single = await analyzeDataset(loaded.pipeline, { ...options, workers: 0 });
    const pooled = await analyzeDataset(loaded.pipeline, { ...options, workers: 2 });
    expect(pooled).toEqual(single);
    expect(single.train.examples).toBe(1500);
    // Both kinds of finding come through, located: special tokens (checks, main thread) and the extra key.
    expect(new Set(single.diagnostics.map((d) => d.code))).toEqual(
      new Set(["data-invalid-special-token", "data-unknown-key"]),
    );

    const pool = TokenPool.start(1, "o200k_base", "supervised");
    expect(pool).toBeDefined();
    const [tokens] = await pool!.count([{ messages: [{ role: "user", content: "hello world" }] }]);
    await pool!.close();
    expect(tokens).toEqual({ total: 3 + 3 + 1 + 2, assistant: 0, approximate: false });
  });
});

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeDataset } from "../../src/data/analyze.js";
import { analyzeIsolated } from "../../src/data/analyze-isolated.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { tempDir } from "../helpers/temp-dir.js";

// Workers run from the sources too (the .ts worker scripts through tsx): the same code users run from dist/.

describe("the analysis on a heap-capped thread (validate, streaming path)", () => {
  it("gives exactly the in-thread analysis with dedupe, shuffle, system and split", async () => {
    const root = await tempDir();
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: "user", content: `question ${i % 350} ½ 中文` },
          { role: "assistant", content: i % 50 === 0 ? "<|im_end|>" : `answer ${i % 350}` },
        ],
      }),
    );
    await writeFile(path.join(root, "train.jsonl"), `${lines.join("\n")}\n`);
    await writeFile(
      path.join(root, "p.yaml"),
      [
        "version: 1",
        "name: iso",
        "model: gpt-4o-mini-2024-07-18",
        "dataset:",
        "  train: train.jsonl",
        "  transforms: [{ dedupe: exact }, { shuffle: { seed: 3 } }, { system: Be kind. }]",
        "  split: { validation: 0.2, seed: 4 }",
        "",
      ].join("\n"),
    );
    const loaded = await loadPipeline("p.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const expected = await analyzeDataset(loaded.pipeline, { tempDir: root });
    const isolated = await analyzeIsolated(loaded.pipeline, { tempDir: root, workers: 1, minBytesForWorkers: 0 });
    expect(isolated).toEqual(expected);
    expect([expected.train.examples, expected.validation?.examples]).toEqual([280, 70]);
    expect(new Set(expected.diagnostics.map((d) => d.code))).toEqual(new Set(["data-invalid-special-token"]));

    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await expect(
      analyzeIsolated(loaded.pipeline, { tempDir: root, workers: 1, minBytesForWorkers: 0, signal: aborted.signal }),
    ).rejects.toThrow("stop");
  });
});

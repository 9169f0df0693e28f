import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeDataset } from "../../src/data/analyze.js";
import { analyzeIsolated, analyzeToFiles } from "../../src/data/analyze-isolated.js";
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
    expect(isolated).toEqual({ analysis: expected });
    expect([expected.train.examples, expected.validation?.examples]).toEqual([280, 70]);
    expect(new Set(expected.diagnostics.map((d) => d.code))).toEqual(new Set(["data-invalid-special-token"]));

    // With outputs (the prepare stage): the same files from the capped thread as from this one, sealed, unpublished.
    const outputs = (tag: string) => ({
      train: { target: path.join(root, `${tag}-train.jsonl`), temp: path.join(root, `${tag}-train.tmp`) },
      validation: { target: path.join(root, `${tag}-val.jsonl`), temp: path.join(root, `${tag}-val.tmp`) },
    });
    const here = await analyzeToFiles(loaded.pipeline, { tempDir: root, outputs: outputs("here") });
    const there = await analyzeIsolated(loaded.pipeline, {
      tempDir: root,
      workers: 1,
      minBytesForWorkers: 0,
      outputs: outputs("there"),
    });
    expect(there.analysis).toEqual(expected);
    expect([there.files?.train.sha256, there.files?.validation.sha256]).toEqual([
      here.files?.train.sha256,
      here.files?.validation.sha256,
    ]);
    expect(await readFile(path.join(root, "there-train.tmp"), "utf8")).toBe(
      await readFile(path.join(root, "here-train.tmp"), "utf8"),
    );
    expect(there.files?.train.lines).toBe(280);

    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await expect(
      analyzeIsolated(loaded.pipeline, {
        tempDir: root,
        workers: 1,
        minBytesForWorkers: 0,
        signal: aborted.signal,
        outputs: outputs("aborted"),
      }),
    ).rejects.toThrow("stop");
    // Nothing of the aborted run is left behind.
    expect((await readdir(root)).filter((f) => f.startsWith("aborted"))).toEqual([]);
  });
});

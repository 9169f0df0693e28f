import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import type { EvalResults } from "../../src/eval/types.js";
import { loadRunSummary } from "../../src/report/write.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

// The elle training data has "Tell me about Iron" and "Tell me about Carbon"; it has no Neon.
const PIPELINE = `version: 1
name: heldout
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
  transforms:
    - shuffle: { seed: 7 }
evaluation:
  candidates: [base]
  params: { max_tokens: 20 }
  prompts:
    - { id: iron, user: "Tell me about Iron" }
    - { id: carbon, user: "  tell ME about\\tcarbon " }
    - { id: neon, user: "Tell me about Neon" }
`;

const PHRASE = "2 of 3 evaluation prompts appear in the training data";

describe("evaluate: held-out check against the training data", () => {
  it("flags a training prompt and a normalised match, not a held-out one, in every report", async () => {
    const root = await projectWith(PIPELINE);
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(run.result).toEqual({ kind: "completed" });

    const recorded = JSON.parse(
      await readFile(path.join(root, ".tunefile/heldout/eval/results.json"), "utf8"),
    ) as EvalResults;
    // Compared with the prepared (shuffled) file prepare wrote, so the lines are that file's.
    const prepared = (await readFile(path.join(root, ".tunefile/heldout/train.jsonl"), "utf8")).split("\n");
    const lineOf = (text: string) => prepared.findIndex((l) => l.includes(`"${text}"`)) + 1;
    expect(recorded.training_overlap).toEqual({
      file: ".tunefile/heldout/train.jsonl",
      examples: 10,
      prompts: 3,
      matches: [
        {
          prompt: "iron",
          user: "Tell me about Iron",
          match: "exact",
          training: { file: ".tunefile/heldout/train.jsonl", line: lineOf("Tell me about Iron") },
        },
        {
          prompt: "carbon",
          user: "  tell ME about\tcarbon ",
          match: "normalised",
          training: { file: ".tunefile/heldout/train.jsonl", line: lineOf("Tell me about Carbon") },
        },
      ],
    });
    expect(lineOf("Tell me about Iron")).toBeGreaterThan(0);

    const published = JSON.parse(
      await readFile(path.join(root, "reports/heldout/results.json"), "utf8"),
    ) as EvalResults;
    expect(published.training_overlap).toEqual(recorded.training_overlap);
    const markdown = await readFile(path.join(root, "reports/heldout/report.md"), "utf8");
    expect(markdown).toContain(`Warning: ${PHRASE}`);
    expect(markdown).toContain("- iron: exact match, .tunefile/heldout/train.jsonl:");
    expect(markdown).toContain("- carbon: same text ignoring case and whitespace, .tunefile/heldout/train.jsonl:");
    expect(markdown).not.toMatch(/- neon:/);
    const html = await readFile(path.join(root, "reports/heldout/report.html"), "utf8");
    expect(html).toContain(`<div id="held-out" class="note"><p>Warning: ${PHRASE}`);

    const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error("pipeline did not load");
    const summary = await loadRunSummary(loaded.pipeline.paths);
    expect(summary).toContain(`\nWarning: ${PHRASE}`);
    expect(summary).toContain("\n  - iron: exact match");
    expect(summary).toContain("\n  - carbon: same text ignoring case and whitespace");
    expect(summary).not.toContain("- neon");
  }, 60_000);

  it("says the prompts are held out when none is in the training data", async () => {
    const root = await projectWith(
      PIPELINE.replace('"Tell me about Iron"', '"Tell me about Zinc"').replace(
        '"  tell ME about\\tcarbon "',
        '"Tell me about Carbon dioxide"',
      ),
    );
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(run.result).toEqual({ kind: "completed" });
    const published = JSON.parse(
      await readFile(path.join(root, "reports/heldout/results.json"), "utf8"),
    ) as EvalResults;
    expect(published.training_overlap?.matches).toEqual([]);
    expect(published.training_overlap?.examples).toBe(10);
    const markdown = await readFile(path.join(root, "reports/heldout/report.md"), "utf8");
    expect(markdown).toContain("Held out: 0 of 3 evaluation prompts appear in the training data");
  }, 60_000);
});

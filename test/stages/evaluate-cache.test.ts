import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

const pipeline = (elements: string[]) => `version: 1
name: cachetest
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base, { few_shot: 2 }]
  params: { temperature: 0, max_tokens: 40 }
  concurrency: 3
  prompts:
    - user: "Tell me about {{element}}"
      vars: { element: [${elements.join(", ")}] }
      assert:
        - icontains: "{{element}}"
`;

describe("evaluate: the response cache", () => {
  it("asks once, answers a rerun from the cache, and asks again only for an edited prompt", async () => {
    const root = await projectWith(pipeline(["Neon", "Zinc", "Gold"]));
    const disable = ["upload", "train", "deploy"] as const;

    const first = await runEngine(root, { disable: [...disable] });
    expect(first.result).toEqual({ kind: "completed" });
    expect(first.chatRequests).toHaveLength(6); // 3 prompts × 2 candidates
    const results = JSON.parse(
      await readFile(path.join(root, ".tunefile/cachetest/eval/results.json"), "utf8"),
    ) as EvalResults;
    expect(results.cells.map((c) => [c.prompt, c.candidate, c.cached])).toEqual([
      ["tell-me-about-neon", "base", false],
      ["tell-me-about-neon", "few_shot:2", false],
      ["tell-me-about-zinc", "base", false],
      ["tell-me-about-zinc", "few_shot:2", false],
      ["tell-me-about-gold", "base", false],
      ["tell-me-about-gold", "few_shot:2", false],
    ]);
    // The system prompt defaults to the training data's; few-shot puts 2 examples (4 turns) before the question.
    expect(results.prompts[0]?.system).toBe(
      "Elle is a factual chatbot that answers questions about elements in the periodic table with a limerick",
    );
    expect(results.candidates[1]?.shots).toHaveLength(4);
    const report = await readFile(path.join(root, "reports/cachetest/report.md"), "utf8");

    // An unchanged pipeline: evaluate is fresh and does not even start.
    const again = await runEngine(root, { disable: [...disable] });
    expect(again.events.filter((e) => e.type === "stage-start")).toEqual([]);
    expect(again.chatRequests).toEqual([]);

    // A change that makes evaluate rerun but asks nothing new (concurrency): every answer comes from the cache.
    await writeFile(
      path.join(root, "pipelines/p.yaml"),
      pipeline(["Neon", "Zinc", "Gold"]).replace("concurrency: 3", "concurrency: 2"),
    );
    const rerun = await runEngine(root, { disable: [...disable] });
    expect(rerun.events.some((e) => e.type === "stage-start" && e.stage === "evaluate")).toBe(true);
    expect(rerun.chatRequests).toEqual([]);
    const cached = JSON.parse(
      await readFile(path.join(root, ".tunefile/cachetest/eval/results.json"), "utf8"),
    ) as EvalResults;
    expect(cached.cells.every((c) => c.cached)).toBe(true);
    expect(await readFile(path.join(root, "reports/cachetest/report.md"), "utf8")).toBe(report);

    // Edit one prompt (Gold → Iron): only that prompt is asked, for each candidate.
    await writeFile(path.join(root, "pipelines/p.yaml"), pipeline(["Neon", "Zinc", "Iron"]));
    const edited = await runEngine(root, { disable: [...disable] });
    expect(edited.result).toEqual({ kind: "completed" });
    expect(edited.chatRequests.map((r) => r.user).sort()).toEqual(["Tell me about Iron", "Tell me about Iron"]);
    const after = JSON.parse(
      await readFile(path.join(root, ".tunefile/cachetest/eval/results.json"), "utf8"),
    ) as EvalResults;
    expect(after.cells.filter((c) => !c.cached).map((c) => c.prompt)).toEqual([
      "tell-me-about-iron",
      "tell-me-about-iron",
    ]);

    // The report of the unchanged prompts is unchanged.
    const newReport = await readFile(path.join(root, "reports/cachetest/report.md"), "utf8");
    const section = (text: string, id: string) => text.split(`### ${id}`)[1]?.split("###")[0];
    expect(section(newReport, "tell-me-about-neon")).toBe(section(report, "tell-me-about-neon"));
  }, 120_000);
});

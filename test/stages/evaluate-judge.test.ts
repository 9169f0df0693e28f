import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

const PIPELINE = `version: 1
name: judged
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base]
  params: { max_tokens: 30 }
  judge: { model: gpt-4o-mini-2024-07-18 }
  prompts:
    - user: "Tell me about Neon"
      assert:
        - llm-judge: { rubric: "A five-line limerick about neon" }
        - icontains: Neon
`;

describe("evaluate: llm-judge through the same provider", () => {
  it("asks the judge model, and a reply that is not the JSON verdict is a grader error, never a pass", async () => {
    const root = await projectWith(PIPELINE);
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(run.result).toEqual({ kind: "completed" });
    // One answer and one judge request, both to the base model here.
    expect(run.chatRequests).toHaveLength(2);
    expect(run.chatRequests[1]?.user).toMatch(
      /^Rubric:\nA five-line limerick about neon\n\nQuestion:\nTell me about Neon\n\nAnswer to grade:\n/,
    );
    const results = JSON.parse(
      await readFile(path.join(root, ".tunefile/judged/eval/results.json"), "utf8"),
    ) as EvalResults;
    const [judge, contains] = results.cells[0]!.grades;
    // The tiny local base model does not write JSON verdicts: the grade is an error that shows the reply.
    expect(judge).toMatchObject({ kind: "llm-judge", pass: false, error: true });
    expect(judge?.reason).toMatch(/^judge reply is not JSON: /);
    expect(contains?.pass).toBe(true);
    expect(results.cells[0]!.pass).toBe(false);
    const report = await readFile(path.join(root, "reports/judged/report.md"), "utf8");
    expect(report).toContain('! llm-judge "A five-line limerick about neon": judge reply is not JSON: ');

    // The judge's answer is cached like any other: a rerun asks nothing.
    await writeFile(
      path.join(root, "pipelines/p.yaml"),
      PIPELINE.replace("max_tokens: 30 }", "max_tokens: 30 }\n  concurrency: 1"),
    );
    const rerun = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(rerun.chatRequests).toEqual([]);
  }, 120_000);

  it("a judge request that fails fails the stage, so the gate never rests on an outage; a rerun asks again", async () => {
    // A judge model the provider does not have: every judge request fails, as in an outage after its retries.
    const root = await projectWith(
      PIPELINE.replace("judge: { model: gpt-4o-mini-2024-07-18 }", "judge: { model: nope-judge }"),
    );
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(run.result).toMatchObject({ kind: "failed", stage: "evaluate" });
    const end = run.events.find((e) => e.type === "stage-end" && e.stage === "evaluate");
    expect(end).toMatchObject({ status: "failed" });
    expect(JSON.stringify(end)).toContain("judge nope-judge: ");
    // The answer itself was cached; the rerun asks only the judge again.
    const rerun = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(rerun.chatRequests.map((r) => r.model)).toEqual(["nope-judge"]);
  }, 120_000);
});

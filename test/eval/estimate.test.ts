import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { tokenCounterForModel } from "../../src/data/tokens.js";
import { estimateEvaluation } from "../../src/eval/estimate.js";
import { JUDGE_SYSTEM_PROMPT } from "../../src/eval/graders/llm-judge.js";
import { projectWith } from "../helpers/project.js";

describe("evaluation estimate for plan", () => {
  it("counts requests and bounds the cost with max_tokens answers, each candidate at its own prices", async () => {
    const root = await projectWith(`version: 1
name: est
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base, fine_tuned, checkpoints]
  system: "Be brief"
  params: { max_tokens: 10 }
  prompts:
    - user: "Tell me about {{e}}"
      vars: { e: [Neon, Zinc] }
`);
    const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const estimate = await estimateEvaluation(loaded.pipeline);
    const counter = await tokenCounterForModel("gpt-4o-mini-2024-07-18");
    // Per request: 3 priming + (3 + system) + (3 + user) tokens in, 10 out. base pays gpt-4o-mini's own
    // $0.15 / $0.60 per 1M, fine_tuned and each of the 3 checkpoints the service keeps at most the fine-tuned
    // $0.30 / $1.20.
    const input = (e: string) => 3 + 3 + counter.count("Be brief") + 3 + counter.count(`Tell me about ${e}`);
    const at = (i: number, o: number) => ["Neon", "Zinc"].reduce((s, e) => s + (input(e) * i + 10 * o) / 1e6, 0);
    expect(estimate).toEqual({ prompts: 2, candidates: 5, requests: 10, maxCostUsd: expect.any(Number) });
    expect(estimate?.maxCostUsd).toBeCloseTo(at(0.15, 0.6) + 4 * at(0.3, 1.2), 15);
  });

  it("adds each llm-judge request: instructions, rubric, question and the longest answer in, 400 tokens out", async () => {
    const pipeline = (judge: string) => `version: 1
name: est
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base]
  params: { max_tokens: 10 }
  judge: { model: gpt-4o-2024-08-06 }
  prompts:
    - user: "Tell me about Neon"
${judge}`;
    const bound = async (yaml: string) => {
      const loaded = await loadPipeline("pipelines/p.yaml", { cwd: await projectWith(yaml), env: {} });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
      return (await estimateEvaluation(loaded.pipeline))?.maxCostUsd;
    };
    const without = await bound(pipeline(""));
    const withJudge = await bound(pipeline(`      assert: [{ llm-judge: { rubric: "A limerick" } }]\n`));
    const counter = await tokenCounterForModel("gpt-4o-2024-08-06");
    const asked = "Rubric:\nA limerick\n\nQuestion:\nTell me about Neon\n\nAnswer to grade:\n";
    // 3 priming + 2 messages of 3, the instructions, the request and an answer of max_tokens (10), at gpt-4o's
    // $2.50 in / $10 out per 1M, with a 400-token verdict.
    const input = 3 + 6 + counter.count(JUDGE_SYSTEM_PROMPT) + counter.count(asked) + 10;
    expect(withJudge! - without!).toBeCloseTo((input * 2.5 + 400 * 10) / 1e6, 12);
  });
});

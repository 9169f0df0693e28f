import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { tokenCounterForModel } from "../../src/data/tokens.js";
import { estimateEvaluation } from "../../src/eval/estimate.js";
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
    // $0.15 / $0.60 per 1M, fine_tuned the fine-tuned $0.30 / $1.20.
    const input = (e: string) => 3 + 3 + counter.count("Be brief") + 3 + counter.count(`Tell me about ${e}`);
    const at = (i: number, o: number) => ["Neon", "Zinc"].reduce((s, e) => s + (input(e) * i + 10 * o) / 1e6, 0);
    expect(estimate).toEqual({ prompts: 2, candidates: 2, requests: 4, maxCostUsd: expect.any(Number) });
    expect(estimate?.maxCostUsd).toBeCloseTo(at(0.15, 0.6) + at(0.3, 1.2), 15);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

const pipeline = (prices: string) => `version: 1
name: priced
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: [base, { few_shot: 1 }, { model: "ft:gpt-4o-mini-2024-07-18:org:x:abc", label: other }]
  params: { max_tokens: 20 }
  prompts:
    - user: "Tell me about Neon"
${prices}`;

describe("evaluate: prices per candidate", () => {
  it("charges base and few-shot the base model's rates, a fine-tuned id the fine-tuned rates, overrides first", async () => {
    const root = await projectWith(
      pipeline(`prices:
  gpt-4o-mini: { input: 0.1, output: 0.5, source: "contract 42", as_of: "2026-09-01" }
`),
    );
    // The fine-tuned id does not exist on the local provider: its request fails, but its price is still known.
    const run = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(run.result).toMatchObject({ kind: "failed", stage: "evaluate" });
    const results = JSON.parse(await readFile(path.join(root, "reports/priced/results.json"), "utf8")) as EvalResults;
    const byLabel = new Map(results.summary.candidates.map((c) => [c.label, c]));
    expect(byLabel.get("base")?.price).toEqual({
      input: 0.1,
      output: 0.5,
      rates: "base",
      priced_as: "gpt-4o-mini",
      source: "contract 42",
      as_of: "2026-09-01",
      override: true,
    });
    expect(byLabel.get("few_shot:1")?.price).toEqual(byLabel.get("base")?.price);
    expect(byLabel.get("other")?.price).toMatchObject({
      input: 0.3,
      output: 1.2,
      rates: "fine_tuned",
      override: false,
    });
    const base = byLabel.get("base")!;
    expect(base.mean_prompt_tokens).toBeGreaterThan(0);
    expect(base.cost_per_1k_usd).toBeCloseTo(
      (1000 * (base.mean_prompt_tokens * 0.1 + base.mean_completion_tokens * 0.5)) / 1e6,
      12,
    );
    const report = await readFile(path.join(root, "reports/priced/report.md"), "utf8");
    expect(report).toContain(
      "| base | gpt-4o-mini | base model | $0.10 | $0.50 | pipeline override: contract 42, as of 2026-09-01 |",
    );

    // A changed price reruns evaluate (answers from the cache) so that the report's costs follow it.
    await writeFile(
      path.join(root, "pipelines/p.yaml"),
      pipeline("prices:\n  gpt-4o-mini: { input: 0.2, output: 0.5, as_of: 2026-10-01 }\n"),
    );
    const rerun = await runEngine(root, { disable: ["upload", "train", "deploy"] });
    expect(rerun.chatRequests.filter((r) => r.model === "gpt-4o-mini-2024-07-18")).toEqual([]);
    expect(await readFile(path.join(root, "reports/priced/report.md"), "utf8")).toContain(
      "| base | gpt-4o-mini | base model | $0.20 | $0.50 | pipeline override, as of 2026-10-01 |",
    );
  }, 60_000);

  it("rejects a price override with an unknown key, located with a hint, and one without output", async () => {
    const load = async (prices: string) => {
      const root = await projectWith(pipeline(prices));
      const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
      return loaded.ok ? [] : loaded.diagnostics;
    };
    expect(await load("prices:\n  gpt-4o-mini: { input: 0.1, ouput: 0.5 }\n")).toEqual([
      {
        severity: "error",
        code: "unknown-key",
        message: "unknown key `ouput` in `prices.gpt-4o-mini`",
        hint: "did you mean `output`?",
        span: { file: "pipelines/p.yaml", line: 12, col: 30, endCol: 35 },
      },
    ]);
    const missing = await load("prices:\n  gpt-4o-mini: { input: 0.1 }\n");
    expect(missing.map((d) => [d.severity, d.span?.line, d.message.includes("output")])).toEqual([["error", 12, true]]);
  });
});

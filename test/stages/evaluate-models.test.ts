import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";

const TRAINED = `version: 1
name: ckpt
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
  validation: data/elle/validation-data.jsonl
training:
  hyperparameters: { n_epochs: 3 }
  seed: 42
evaluation:
  candidates: [fine_tuned, checkpoints, { model: gpt-4o-mini-2024-07-18, label: plain }]
  params: { max_tokens: 60 }
  prompts:
    - user: "Tell me about Neon"
      assert: [{ lines: { min: 5, max: 5, split: " - " } }]
`;

const existing = (model: string) => `version: 1
name: existing
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
training:
  fine_tuned_model: "${model}"
evaluation:
  candidates: [base, fine_tuned]
  params: { max_tokens: 60 }
  prompts:
    - user: "Tell me about Neon"
      assert: [{ lines: { min: 5, max: 5, split: " - " } }]
`;

const results = async (root: string, name: string) =>
  JSON.parse(await readFile(path.join(root, `.tunefile/${name}/eval/results.json`), "utf8")) as EvalResults;

describe("evaluate: checkpoints, any model, and an existing model without training", () => {
  it("evaluates every retained checkpoint, then the trained model on its own in another pipeline", async () => {
    const root = await projectWith(TRAINED, "ckpt.yaml");
    const trained = await runEngine(root, { file: "ckpt.yaml", disable: ["deploy"] });
    expect(trained.result).toEqual({ kind: "completed" });
    const lock = parse(await readFile(path.join(root, "pipelines/ckpt.lock.yaml"), "utf8")) as {
      stages: {
        train: {
          outputs: {
            fine_tuned_model: string;
            checkpoints: string[];
            job_id: string;
            trained_tokens: number;
            created_at: string;
            finished_at: string;
          };
        };
      };
    };
    const { fine_tuned_model: model, checkpoints } = lock.stages.train.outputs;
    expect(checkpoints.length).toBeGreaterThan(0);
    const first = await results(root, "ckpt");
    expect(first.candidates.map((c) => [c.label, c.model])).toEqual([
      ["fine_tuned", model],
      ...checkpoints.map((m) => [`checkpoint:step-${/ckpt-step-(\d+)$/.exec(m)![1]}`, m]),
      ["plain", "gpt-4o-mini-2024-07-18"],
    ]);
    expect(first.cells.every((c) => c.output !== undefined)).toBe(true);
    // The training facts come from the train stage's record: the job, its tokens and times, every checkpoint.
    const outputs = lock.stages.train.outputs;
    expect(first.training).toMatchObject({
      status: "trained",
      provider: { kind: "local", base_url: "local:.tunefile/local" },
      job_id: outputs.job_id,
      base_model: "gpt-4o-mini-2024-07-18",
      fine_tuned_model: model,
      hyperparameters: { n_epochs: 3 },
      trained_tokens: outputs.trained_tokens,
      started_at: outputs.created_at,
      finished_at: outputs.finished_at,
      duration_from: "job",
      training_price: { per_1m: 3, source: "https://platform.openai.com/docs/guides/fine-tuning", override: false },
    });
    expect(outputs.trained_tokens).toBeGreaterThan(0);
    if (first.training?.status !== "trained") throw new Error("not trained");
    expect(first.training.actual_usd).toBeCloseTo((outputs.trained_tokens * 3) / 1e6, 6);
    expect(first.training.checkpoints.map((c) => [c.model, c.step])).toEqual(
      checkpoints.map((m) => [m, Number(/ckpt-step-(\d+)$/.exec(m)![1])]),
    );
    expect(first.training.checkpoints.every((c) => typeof c.metrics.train_loss === "number")).toBe(true);
    const report = await readFile(path.join(root, "reports/ckpt/report.md"), "utf8");
    expect(report).toContain(`| Job | ${outputs.job_id} |`);
    expect(report).toContain(`| Trained tokens | ${outputs.trained_tokens.toLocaleString("en-US")} |`);

    // The same provider state, a pipeline that names the model: only evaluate runs.
    await writeFile(path.join(root, "pipelines/existing.yaml"), existing(model));
    const alone = await runEngine(root, { file: "existing.yaml" });
    expect(alone.result).toEqual({ kind: "completed" });
    expect(alone.events.flatMap((e) => (e.type === "stage-start" ? [e.stage] : []))).toEqual(["evaluate"]);
    const second = await results(root, "existing");
    expect(second.candidates.map((c) => [c.label, c.model])).toEqual([
      ["base", "gpt-4o-mini-2024-07-18"],
      ["fine_tuned", model],
    ]);
    // Nothing trained here: the report says so, and still compares the prompts with the raw training data.
    expect(second.training).toEqual({ status: "skipped", fine_tuned_model: model });
    expect(second.training_overlap).toMatchObject({
      file: "pipelines/data/elle/training-data.jsonl",
      examples: 10,
      matches: [],
    });
    expect(await readFile(path.join(root, "reports/existing/report.md"), "utf8")).toContain(
      `| Training | skipped: the pipeline names an existing model (training.fine_tuned_model: ${model}) |`,
    );
    // Without prepare, the default system prompt still comes from the training data.
    expect(second.prompts[0]?.system).toBe(
      "Elle is a factual chatbot that answers questions about elements in the periodic table with a limerick",
    );
  }, 180_000);

  it("records answers cut off at max_tokens and warns of them in the report", async () => {
    const yaml = existing("ft:gpt-4o-mini-2024-07-18:local:unused:x1")
      .replace("candidates: [base, fine_tuned]", "candidates: [base]")
      .replace("max_tokens: 60", "max_tokens: 3");
    const root = await projectWith(yaml, "cut.yaml");
    const run = await runEngine(root, { file: "cut.yaml" });
    expect(run.result).toEqual({ kind: "completed" });
    const recorded = await results(root, "existing");
    expect(recorded.cells.map((c) => [c.finish_reason, c.usage?.completion_tokens])).toEqual([["length", 3]]);
    const report = await readFile(path.join(root, "reports/existing/report.md"), "utf8");
    expect(report).toContain(
      "**Warning:** base: 1 of 1 answers stopped at the token limit (3) and were graded cut off; raise evaluation.params.max_tokens to grade whole answers.",
    );
    expect(report).toContain("**fail (cut off at the token limit)**");
  }, 60_000);
});

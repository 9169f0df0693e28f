import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { projectWith } from "../helpers/project.js";

const pipeline = (candidates: string, gate: string, deploy = "") => `version: 1
name: p
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates: ${candidates}
  prompts: [{ user: hi }]
  gate: ${gate}
${deploy}`;

async function codes(yaml: string) {
  const root = await projectWith(yaml);
  const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
  return (loaded.ok ? loaded.warnings : loaded.diagnostics).map((d) => [d.code, d.span?.line, d.span?.col]);
}

describe("the gate names candidates that are evaluated, and one that can be deployed", () => {
  it("accepts labels, kinds that one candidate has, and checkpoint labels when checkpoints are evaluated", async () => {
    expect(await codes(pipeline("[base, fine_tuned]", "{ min_pass_rate: 0.5, must_beat: base }"))).toEqual([]);
    expect(await codes(pipeline("[fine_tuned, { few_shot: 3 }]", "{ must_beat: few_shot }"))).toEqual([]);
    expect(await codes(pipeline("[base, checkpoints]", "{ candidate: checkpoint:step-20, must_beat: base }"))).toEqual(
      [],
    );
    expect(
      await codes(pipeline("[base, { model: gpt-4.1-mini, label: big }]", "{ candidate: big, must_beat: base }")),
    ).toEqual([]);
    // Without a condition there is no gate to check, only a warning that it decides nothing.
    expect(await codes(pipeline("[base]", "{ candidate: nobody }"))).toEqual([["gate-without-condition", 9, 3]]);
  });

  it("refuses a name no candidate has, the default fine_tuned included, where the gate is written", async () => {
    expect(await codes(pipeline("[base, fine_tuned]", "{ candidate: fine-tuned, min_pass_rate: 0.5 }"))).toEqual([
      ["unknown-gate-candidate", 9, 22],
    ]);
    expect(await codes(pipeline("[base, { few_shot: 2 }]", "{ min_pass_rate: 0.5 }"))).toEqual([
      ["unknown-gate-candidate", 9, 3],
    ]);
    // Two few-shot candidates: the kind alone does not say which.
    expect(await codes(pipeline("[fine_tuned, { few_shot: 2 }, { few_shot: 4 }]", "{ must_beat: few_shot }"))).toEqual([
      ["unknown-gate-candidate", 9, 22],
    ]);
    // `checkpoints` is every retained checkpoint (OpenAI keeps three): name one by its label.
    expect(await codes(pipeline("[base, checkpoints]", "{ candidate: checkpoint, must_beat: base }"))).toEqual([
      ["unknown-gate-candidate", 9, 22],
    ]);
  });

  it("with deploy, refuses to gate on a few-shot candidate or a model on another provider", async () => {
    const deploy = "deploy:\n  alias: prod\n";
    expect(
      await codes(pipeline("[base, { few_shot: 3 }]", "{ candidate: few_shot:3, must_beat: base }", deploy)),
    ).toEqual([["undeployable-gate-candidate", 9, 22]]);
    const elsewhere = "[base, { model: m, label: other, provider: { kind: together } }]";
    expect(await codes(pipeline(elsewhere, "{ candidate: other, must_beat: base }", deploy))).toEqual([
      ["undeployable-gate-candidate", 9, 22],
    ]);
    // Without deploy nothing ships, so gating on them only reports.
    expect(await codes(pipeline("[base, { few_shot: 3 }]", "{ candidate: few_shot:3, must_beat: base }"))).toEqual([]);
  });
});

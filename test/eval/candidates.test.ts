import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { checkpointLabel, fewShotCount, resolveCandidates } from "../../src/eval/candidates.js";
import type { EvalMessage } from "../../src/eval/types.js";

const config = (
  candidates: NonNullable<Pipeline["evaluation"]>["candidates"],
  extra: Partial<Pipeline> = {},
): Pipeline => ({
  version: 1,
  name: "t",
  model: "gpt-4o-mini-2024-07-18",
  dataset: { train: "x.jsonl" },
  evaluation: { candidates, prompts: [{ user: "hi" }] },
  ...extra,
});

const shot = (n: number): EvalMessage[] => [
  { role: "user", content: `q${n}` },
  { role: "assistant", content: `a${n}` },
];

describe("candidates", () => {
  it("resolves every kind to a label and a model", () => {
    const { candidates, diagnostics } = resolveCandidates(
      config([
        "base",
        "fine_tuned",
        { few_shot: 2 },
        "checkpoints",
        { model: "gpt-4.1-mini", label: "mini" },
        { model: "o" },
      ]),
      {
        fine_tuned_model: "ft:m:org:elle:x",
        checkpoints: ["ft:m:org:elle:y:ckpt-step-10", "ft:m:org:elle:z:ckpt-step-20"],
      },
      [shot(1), shot(2), shot(3)],
    );
    expect(diagnostics).toEqual([]);
    expect(candidates).toEqual([
      { label: "base", kind: "base", model: "gpt-4o-mini-2024-07-18" },
      { label: "fine_tuned", kind: "fine_tuned", model: "ft:m:org:elle:x" },
      { label: "few_shot:2", kind: "few_shot", model: "gpt-4o-mini-2024-07-18", shots: [...shot(1), ...shot(2)] },
      { label: "checkpoint:step-10", kind: "checkpoint", model: "ft:m:org:elle:y:ckpt-step-10" },
      { label: "checkpoint:step-20", kind: "checkpoint", model: "ft:m:org:elle:z:ckpt-step-20" },
      { label: "mini", kind: "model", model: "gpt-4.1-mini" },
      { label: "o", kind: "model", model: "o" },
    ]);
  });

  it("evaluates an existing model without training", () => {
    const fromTraining = resolveCandidates(
      config(["fine_tuned"], { training: { fine_tuned_model: "ft:existing" } }),
      undefined,
      [],
    );
    expect(fromTraining.candidates).toEqual([{ label: "fine_tuned", kind: "fine_tuned", model: "ft:existing" }]);
    const named = resolveCandidates(config([{ fine_tuned: "ft:named" }]), undefined, []);
    expect(named.candidates).toEqual([{ label: "fine_tuned", kind: "fine_tuned", model: "ft:named" }]);
  });

  it("reports a missing fine-tuned model, duplicate labels and a short few-shot pool", () => {
    const { diagnostics } = resolveCandidates(
      config(["fine_tuned", { model: "base" }, "base", { few_shot: 3 }, "checkpoints"]),
      undefined,
      [shot(1)],
    );
    expect(diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ["error", "eval-no-fine-tuned-model", "candidate fine_tuned has no model: the train stage recorded none"],
      ["warning", "eval-few-shot-short", "few_shot: 3 asked for, but the training data has only 1 usable examples"],
      ["warning", "eval-no-checkpoints", "candidate checkpoints: the train stage recorded no retained checkpoints"],
      ["error", "eval-duplicate-candidate", 'two candidates are named "base"'],
    ]);
  });

  it("samples as many examples as the largest few_shot", () => {
    expect(fewShotCount(config(["base", { few_shot: 2 }, { few_shot: 5 }]))).toBe(5);
    expect(fewShotCount(config(["base"]))).toBe(0);
    expect(checkpointLabel("ft:x:ckpt-step-7", 0)).toBe("checkpoint:step-7");
    expect(checkpointLabel("ft:x", 1)).toBe("checkpoint:2");
  });
});

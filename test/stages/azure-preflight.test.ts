import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { modelsAskedByName } from "../../src/stages/azure-preflight.js";

const pipeline = (evaluation: Pipeline["evaluation"]): Pipeline =>
  ({ version: 1, name: "p", model: "gpt-4o-mini-2024-07-18", dataset: { train: "t.jsonl" }, evaluation }) as Pipeline;

describe("the models an evaluation asks by name", () => {
  it("are the base model for base and few-shot, named models on this provider, and every judge", () => {
    const models = modelsAskedByName(
      pipeline({
        candidates: [
          "fine_tuned",
          { few_shot: 2 },
          { model: "gpt-4.1-mini-2025-04-14", label: "mini" },
          { model: "ft:gpt-4o-mini-2024-07-18:acme::abc", label: "old", provider: { kind: "openai" } },
        ],
        judge: { model: "gpt-4o-2024-08-06" },
        assert: [{ "llm-judge": { rubric: "polite" } }],
        prompts: [{ user: "hi", assert: [{ "llm-judge": { rubric: "kind", model: "gpt-4.1-2025-04-14" } }] }],
      }),
    );
    expect(models.sort()).toEqual([
      "gpt-4.1-2025-04-14",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4o-2024-08-06",
      "gpt-4o-mini-2024-07-18",
    ]);
  });

  it("are none for a fine-tuned-only evaluation without judges, or without an evaluation", () => {
    expect(modelsAskedByName(pipeline({ candidates: ["fine_tuned"], prompts: [{ user: "hi" }] }))).toEqual([]);
    expect(modelsAskedByName(pipeline(undefined))).toEqual([]);
  });
});

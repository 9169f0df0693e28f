import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Evaluation } from "../../src/core/pipeline.generated.js";
import { combinations, expandPrompts, slug } from "../../src/eval/prompts.js";
import { tempDir } from "../helpers/temp-dir.js";

const expand = async (evaluation: Evaluation, dir = "/nonexistent") =>
  expandPrompts({ evaluation, pipelineDir: dir, displayBase: dir, defaultSystem: "Be Elle" });

describe("evaluation prompts", () => {
  it("expands vars as a cartesian product, first var slowest, in the order written", () => {
    expect(combinations({ a: [1, 2], b: ["x", "y"], c: "k" })).toEqual([
      { a: "1", b: "x", c: "k" },
      { a: "1", b: "y", c: "k" },
      { a: "2", b: "x", c: "k" },
      { a: "2", b: "y", c: "k" },
    ]);
  });

  it("substitutes vars in the user message, reference and grader values, and names graders by their template", async () => {
    const { prompts, diagnostics } = await expand({
      assert: [{ "not-icontains": "as an AI" }],
      prompts: [
        {
          user: "Tell me about {{element}}",
          reference: "{{element}} is an element",
          vars: { element: ["Neon", "Zinc"] },
          weight: 2,
          assert: [{ icontains: "{{ element }}" }, { json: { schema: { const: "{{element}}" } } }],
        },
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(prompts.map((p) => [p.id, p.user, p.reference, p.system, p.weight])).toEqual([
      ["tell-me-about-neon", "Tell me about Neon", "Neon is an element", "Be Elle", 2],
      ["tell-me-about-zinc", "Tell me about Zinc", "Zinc is an element", "Be Elle", 2],
    ]);
    expect(prompts[1]!.graders).toEqual([
      { config: { "not-icontains": "as an AI" }, group: 'not-icontains "as an AI"' },
      { config: { icontains: "Zinc" }, group: 'icontains "{{ element }}"' },
      // A JSON Schema is data, not a template: it passes unchanged.
      { config: { json: { schema: { const: "{{element}}" } } }, group: "json matching schema" },
    ]);
  });

  it("uses given ids (with the vars when expanded) and keeps ids unique", async () => {
    const { prompts } = await expand({
      system: "Global system",
      prompts: [
        { id: "greet", user: "Hi {{name}}", vars: { name: ["Ann", "Bo"] } },
        { user: "Same text" },
        { user: "Same text", system: "Own system" },
      ],
    });
    expect(prompts.map((p) => [p.id, p.system])).toEqual([
      ["greet-ann", "Global system"],
      ["greet-bo", "Global system"],
      ["same-text", "Global system"],
      ["same-text-2", "Own system"],
    ]);
  });

  it("reads one prompt per row of a jsonl or csv file, columns as vars", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "q.csv"), "question,answer\nWhat is Ne?,Neon\nWhat is Zn?,Zinc\n");
    await writeFile(path.join(dir, "q.jsonl"), '{"question":"What is Au?","answer":"Gold","n":79}\n');
    const { prompts, diagnostics } = await expand(
      {
        prompts: [
          {
            user: "{{question}}",
            reference: "{{answer}}",
            from: { path: "q.csv" },
            assert: [{ contains: "{{answer}}" }],
          },
          { user: "{{question}} ({{n}})", from: { path: "q.jsonl" } },
        ],
      },
      dir,
    );
    expect(diagnostics).toEqual([]);
    expect(prompts.map((p) => [p.id, p.user, p.reference, p.graders[0]?.config])).toEqual([
      ["what-is-ne", "What is Ne?", "Neon", { contains: "Neon" }],
      ["what-is-zn", "What is Zn?", "Zinc", { contains: "Zinc" }],
      ["what-is-au-79", "What is Au? (79)", undefined, undefined],
    ]);
  });

  it("reports a placeholder without a var", async () => {
    const { diagnostics } = await expand({ prompts: [{ user: "Tell me about {{element}}" }] });
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "eval-prompt-missing-var",
        message: 'evaluation prompt 1 ("tell-me-about-element") uses {{element}} but has no such var',
        hint: "add `vars:` or `from:` to the prompt",
      },
    ]);
  });

  it.each([
    ["Tell me about Neon!", "tell-me-about-neon"],
    ["  Über   café ", "über-café"],
    ["???", "prompt"],
    ["a".repeat(70), "a".repeat(60)],
  ])("slug(%j) = %j", (text, expected) => {
    expect(slug(text)).toBe(expected);
  });
});

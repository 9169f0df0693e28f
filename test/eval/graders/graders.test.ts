import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Grader as GraderConfig } from "../../../src/core/pipeline.generated.js";
import { applyGrader, parseGrader } from "../../../src/eval/graders/grade.js";
import type { GradeContext, JudgeAnswer } from "../../../src/eval/graders/types.js";
import type { EvalPrompt } from "../../../src/eval/types.js";
import { tempDir } from "../../helpers/temp-dir.js";

const prompt: EvalPrompt = {
  id: "neon",
  user: "Tell me about Neon",
  vars: { element: "Neon" },
  reference: "Neon glows red in a tube",
  weight: 1,
  graders: [],
};

function context(overrides: Partial<GradeContext> = {}): GradeContext {
  return {
    prompt,
    defaultJudgeModel: "judge-model",
    judge: async () => ({ ok: false, message: "no judge in this test" }),
    loadModule: async () => {
      throw new Error("no modules in this test");
    },
    ...overrides,
  };
}

const LIMERICK =
  "Neon, a gas that's so bright - It glows in the dark of the night - In signs it does shine - A light so divine - Neon, you're a beautiful sight";

type Row = [name: string, grader: GraderConfig, answer: string, pass: boolean, reason: string];

const table: Row[] = [
  ["equals trims", { equals: "Paris" }, " Paris\n", true, "equal"],
  ["equals differs", { equals: "Paris" }, "Lyon", false, 'answer is "Lyon"'],
  ["not-equals", { "not-equals": "Paris" }, "Lyon", true, 'not: answer is "Lyon"'],
  ["contains case-sensitive", { contains: "neon" }, LIMERICK, false, 'missing "neon"'],
  ["contains", { contains: "Neon" }, LIMERICK, true, 'found "Neon"'],
  ["contains any (default)", { contains: ["Argon", "night"] }, LIMERICK, true, 'found "night"'],
  ["contains all", { contains: { value: ["Argon", "night"], mode: "all" } }, LIMERICK, false, 'missing "Argon"'],
  ["icontains", { icontains: "NEON" }, LIMERICK, true, 'found "NEON"'],
  [
    "icontains all",
    { icontains: { value: ["glows", "SIGNS"], mode: "all" } },
    LIMERICK,
    true,
    'found "glows", "SIGNS"',
  ],
  ["not-icontains", { "not-icontains": ["sorry", "as an ai"] }, LIMERICK, true, 'not: missing "sorry", "as an ai"'],
  ["not-icontains fails", { "not-icontains": "BRIGHT" }, LIMERICK, false, 'not: found "BRIGHT"'],
  ["not-contains", { "not-contains": "Argon" }, LIMERICK, true, 'not: missing "Argon"'],
  ["regex", { regex: "^Neon," }, LIMERICK, true, 'matched "Neon,"'],
  ["regex literal with flags", { regex: "/^NEON/i" }, LIMERICK, true, 'matched "Neon"'],
  ["regex no match", { regex: "\\d+" }, "no digits", false, 'no match in "no digits"'],
  ["not-regex", { "not-regex": "\\d+" }, "no digits", true, 'not: no match in "no digits"'],
  ["json", { json: true }, '{"a": 1}', true, "parses as JSON"],
  ["json invalid", { json: true }, "{a: 1}", false, 'not JSON: "{a: 1}"'],
  [
    "json schema",
    { json: { schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } } } },
    '{"name": "Neon"}',
    true,
    "parses and matches the schema",
  ],
  [
    "json schema violated",
    { json: { schema: { type: "object", required: ["name"] } } },
    '{"symbol": "Ne"}',
    false,
    "schema: / must have required property 'name'",
  ],
  ["lines split", { lines: { min: 5, max: 5, split: " - " } }, LIMERICK, true, "5 lines"],
  ["lines newline default", { lines: { min: 2 } }, "one\n\n  \ntwo\n", true, "2 lines"],
  ["lines too few", { lines: { min: 5 } }, "one line", false, "1 line"],
  ["length", { length: { max: 10 } }, "  short  ", true, "5 characters"],
  ["length counts code points", { length: { min: 3, max: 3 } }, "a😀b", true, "3 characters"],
  ["length too long", { length: { max: 3 } }, "longer", false, "6 characters"],
  ["similarity rouge-l", { similarity: { min: 0.5 } }, "Neon glows red", true, "rouge-l 0.667 (min 0.5)"],
  [
    "similarity token-f1 own reference",
    { similarity: { metric: "token-f1", min: 0.9, reference: "a b c" } },
    "c b a",
    true,
    "token-f1 1.000 (min 0.9)",
  ],
];

describe("graders", () => {
  it.each(table)("%s", async (_name, grader, answer, pass, reason) => {
    const result = await applyGrader(grader, answer, context());
    expect({ pass: result.pass, reason: result.reason, error: result.error }).toEqual({
      pass,
      reason,
      error: undefined,
    });
  });

  it("names graders for reports", async () => {
    const names = await Promise.all(
      (
        [
          { icontains: "Neon" },
          { "not-contains": { value: ["a", "b"], mode: "all" } },
          { lines: { min: 5, max: 5, split: " - " } },
          { length: { max: 200 } },
          { similarity: { metric: "token-f1", min: 0.4 } },
          { json: { schema: {} } },
          { regex: "^x" },
        ] as GraderConfig[]
      ).map(async (g) => (await applyGrader(g, "x", context())).grader),
    );
    expect(names).toEqual([
      'icontains "Neon"',
      'not-contains all of "a", "b"',
      'lines 5..5 split " - "',
      "length <= 200",
      "token-f1 >= 0.4",
      "json matching schema",
      "regex ^x",
    ]);
  });

  it.each<[GraderConfig, string]>([
    [{ regex: "(" }, "invalid regular expression: Invalid regular expression: /(/: Unterminated group"],
    [{ "not-regex": "(" }, "invalid regular expression: Invalid regular expression: /(/: Unterminated group"],
    [{ similarity: { min: 0.5, metric: "rouge-l" } }, "no reference: give the prompt a `reference` or the grader one"],
  ])("%j is a grader error, never a pass (even negated)", async (grader, reason) => {
    const result = await applyGrader(grader, "x", context({ prompt: { ...prompt, reference: undefined } }));
    expect(result).toMatchObject({ pass: false, error: true, reason });
  });

  it("rejects unknown kinds and not- forms that do not exist", () => {
    expect(parseGrader({ "not-lines": { min: 1 } } as GraderConfig)).toBe('grader "lines" has no not- form');
    expect(parseGrader({ bogus: 1 } as unknown as GraderConfig)).toBe('unknown grader "bogus"');
  });
});

describe("llm-judge grader", () => {
  const judged = async (reply: JudgeAnswer) => {
    const calls: { model: string; user: string }[] = [];
    const ctx = context({
      judge: async (model, messages) => {
        calls.push({ model, user: messages[1]!.content });
        return reply;
      },
    });
    const result = await applyGrader({ "llm-judge": { rubric: "Is a limerick about Neon" } }, LIMERICK, ctx);
    return { result, calls };
  };

  it("passes on a JSON verdict and keeps the reasoning", async () => {
    const { result, calls } = await judged({
      ok: true,
      text: '{"pass": true, "reasoning": "Five lines, AABBA, about neon."}',
    });
    expect(result).toMatchObject({ pass: true, score: 1, reason: "Five lines, AABBA, about neon." });
    expect(calls).toEqual([
      {
        model: "judge-model",
        user: `Rubric:\nIs a limerick about Neon\n\nQuestion:\nTell me about Neon\n\nAnswer to grade:\n${LIMERICK}`,
      },
    ]);
  });

  it("reads a verdict inside a code fence", async () => {
    const { result } = await judged({ ok: true, text: '```json\n{"pass": false, "reasoning": "Four lines."}\n```' });
    expect(result).toMatchObject({ pass: false, reason: "Four lines." });
    expect(result.error).toBeUndefined();
  });

  it.each([
    ["Yes, it passes.", 'judge reply is not JSON: "Yes, it passes."'],
    ['{"pass": "yes"}', 'judge reply lacks a boolean "pass": "{\\"pass\\": \\"yes\\"}"'],
  ])("an unparsable reply %j is a grader error", async (text, reason) => {
    const { result } = await judged({ ok: true, text });
    expect(result).toMatchObject({ pass: false, error: true, reason });
  });

  it("a failed judge request is a grader error", async () => {
    const { result } = await judged({ ok: false, message: "401 invalid key" });
    expect(result).toMatchObject({ pass: false, error: true, reason: "judge judge-model failed: 401 invalid key" });
  });
});

describe("module grader", () => {
  async function withModule(source: string) {
    const dir = await tempDir();
    await writeFile(path.join(dir, "rhyme.mjs"), source);
    return context({ loadModule: (p) => import(pathToFileURL(path.resolve(dir, p)).href) });
  }

  it("calls the default export with the output, vars, prompt and options", async () => {
    const ctx = await withModule(
      "export default (output, { vars, prompt, options }) => ({ pass: output.includes(vars.element), score: options.s, reason: prompt });",
    );
    const result = await applyGrader({ module: { path: "./rhyme.mjs", options: { s: 0.5 } } }, LIMERICK, ctx);
    expect(result).toMatchObject({
      grader: "module ./rhyme.mjs",
      pass: true,
      score: 0.5,
      reason: "Tell me about Neon",
    });
  });

  it("accepts a boolean", async () => {
    const ctx = await withModule("export default async (output) => output.length < 3;");
    expect(await applyGrader({ module: { path: "./rhyme.mjs" } }, "long answer", ctx)).toMatchObject({
      pass: false,
      reason: "custom grader failed",
    });
  });

  it.each([
    ["export default () => { throw new Error('boom'); };", "./rhyme.mjs threw: boom"],
    ["export const grade = () => true;", "./rhyme.mjs has no default export function"],
    ["export default () => 'yes';", "custom grader returned neither a boolean nor {pass, score?, reason?}"],
  ])("%s is a grader error", async (source, reason) => {
    const ctx = await withModule(source);
    expect(await applyGrader({ module: { path: "./rhyme.mjs" } }, "x", ctx)).toMatchObject({
      pass: false,
      error: true,
      reason,
    });
  });
});

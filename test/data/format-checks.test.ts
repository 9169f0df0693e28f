import { describe, expect, it } from "vitest";
import { checkExample, locateFindings } from "../../src/data/format-checks/check-example.js";
import type { ExampleFinding } from "../../src/data/format-checks/findings.js";
import { findingToDiagnostic } from "../../src/data/format-checks/to-diagnostic.js";
import { findingToJobError } from "../../src/data/format-checks/to-openai-error.js";
import { type ValidateFileOptions, validateTrainingFile } from "../../src/data/validate-file.js";
import { countExampleTokens, loadTokenCounter } from "../../src/data/tokens.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";

/** The local provider's file validation, on a file made of these lines. */
const validateTrainingLines = (lines: string[], options: ValidateFileOptions) =>
  validateTrainingFile(Buffer.from(lines.join("\n")), options);

const U = { role: "user", content: "Tell me about Neon" };
const A = { role: "assistant", content: "Neon glows red" };

/** Nine good examples, so a training file fails only for the case under test (10 needed). */
const GOOD = Array.from({ length: 9 }, () => JSON.stringify({ messages: [U, A] }));

interface Case {
  rule: string;
  method?: "supervised" | "dpo";
  line: string;
  /** The tunefile rendering, as printed. */
  diagnostics: string;
  /** The OpenAI job error for the same file (the bad example is example 1 of ten). */
  job: { code: string; message: string };
}

const FORMAT = "The job failed due to a file format error in the training file. Invalid file format.";

const CASES: Case[] = [
  {
    rule: "a line that is not an object",
    line: "[1, 2]",
    diagnostics: "train.jsonl:1:1 error[data-not-object] an example must be a JSON object, found an array\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 is not a JSON object.` },
  },
  {
    rule: "missing messages",
    line: JSON.stringify({ prompt: "hi", completion: "ho" }),
    diagnostics: [
      "train.jsonl:1:1 error[data-unknown-key] unknown top-level key `prompt`",
      "  = hint: allowed keys: `messages`, `tools`, `parallel_tool_calls`, `functions`",
      "train.jsonl:1:1 error[data-unknown-key] unknown top-level key `completion`",
      "  = hint: allowed keys: `messages`, `tools`, `parallel_tool_calls`, `functions`",
      "train.jsonl:1:1 error[data-missing-key] missing key `messages`",
      "3 errors",
      "",
    ].join("\n"),
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 contains an extra "prompt".` },
  },
  {
    rule: "an unknown top-level key (a weight at the top)",
    line: JSON.stringify({ messages: [U, A], weight: 1 }),
    diagnostics:
      "train.jsonl:1:1 error[data-unknown-key] unknown top-level key `weight`\n  = hint: allowed keys: `messages`, `tools`, `parallel_tool_calls`, `functions`\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 contains an extra "weight".` },
  },
  {
    rule: "a misspelt top-level key gets a did-you-mean",
    line: JSON.stringify({ mesages: [U, A] }),
    diagnostics: [
      "train.jsonl:1:1 error[data-unknown-key] unknown top-level key `mesages`",
      "  = hint: did you mean `messages`?",
      "train.jsonl:1:1 error[data-missing-key] missing key `messages`",
      "2 errors",
      "",
    ].join("\n"),
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 contains an extra "mesages".` },
  },
  {
    rule: "empty messages",
    line: JSON.stringify({ messages: [] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-field] `messages` must be a non-empty array of messages\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1 has an invalid "messages": expected a non-empty array of messages.`,
    },
  },
  {
    rule: "a message without a role",
    line: JSON.stringify({ messages: [U, { content: "x" }] }),
    diagnostics: "train.jsonl:1:1 error[data-missing-role] message 2 has no `role`\n1 error\n",
    job: {
      code: "invalid_training_file",
      message:
        "The job failed due to an invalid training file. Invalid file format. Example 1, message 2 Discriminator 'role' is missing in value",
    },
  },
  {
    rule: "an unknown role",
    line: JSON.stringify({ messages: [{ role: "usr", content: "hi" }, A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-role] message 1 has role `usr`, which is not allowed here\n  = hint: did you mean `user`?\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1, message 1 has an invalid role 'usr'.` },
  },
  {
    rule: "an unknown message key",
    line: JSON.stringify({ messages: [{ ...U, contents: "x" }, A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-unknown-message-key] message 1 has unknown key `contents`\n  = hint: did you mean `content`?\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1, message 1 contains an extra "contents".` },
  },
  {
    rule: "missing content",
    line: JSON.stringify({ messages: [U, { role: "assistant" }] }),
    diagnostics: "train.jsonl:1:1 error[data-missing-content] message 2 (assistant) has no content\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1, message 2 is missing content.` },
  },
  {
    rule: "content of the wrong type",
    line: JSON.stringify({ messages: [{ role: "user", content: 42 }, A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-content] message 1: content must be a string or an array of content parts, found a number\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, message 1 has invalid content: content must be a string or an array of content parts, found a number.`,
    },
  },
  {
    rule: "an image in an assistant message",
    line: JSON.stringify({
      messages: [U, { role: "assistant", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }],
    }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-content] message 2: images are only allowed in user messages\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, message 2 has invalid content: images are only allowed in user messages.`,
    },
  },
  {
    rule: "an audio part",
    line: JSON.stringify({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }, A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-content] message 1: content part 1: input_audio parts are not supported for fine-tuning\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, message 1 has invalid content: content part 1: input_audio parts are not supported for fine-tuning.`,
    },
  },
  {
    rule: "a weight on a user message",
    line: JSON.stringify({ messages: [{ ...U, weight: 0 }, A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-weight] message 1: `weight` is only allowed on assistant messages\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1, message 1 contains an extra "weight".` },
  },
  {
    rule: "a weight other than 0 or 1",
    line: JSON.stringify({ messages: [U, { ...A, weight: 0.5 }] }),
    diagnostics: "train.jsonl:1:1 error[data-invalid-weight] message 2: `weight` must be 0 or 1\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, message 2 has an invalid weight; it must be 0 or 1.`,
    },
  },
  {
    rule: "a tool call whose arguments are not JSON",
    line: JSON.stringify({
      messages: [
        U,
        { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{x" } }] },
        { role: "tool", tool_call_id: "c1", content: "1" },
        A,
      ],
    }),
    diagnostics:
      'train.jsonl:1:1 error[data-invalid-tool-call] message 2: tool call 1: "arguments" is not valid JSON\n1 error\n',
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, message 2 has an invalid tool call: tool call 1: "arguments" is not valid JSON.`,
    },
  },
  {
    rule: "a tool message without tool_call_id",
    line: JSON.stringify({ messages: [U, { role: "tool", content: "42" }, A] }),
    diagnostics: "train.jsonl:1:1 error[data-missing-tool-call-id] message 2 (tool) has no `tool_call_id`\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1, message 2 is missing key 'tool_call_id'.` },
  },
  {
    rule: "no assistant message",
    line: JSON.stringify({ messages: [U] }),
    diagnostics:
      "train.jsonl:1:1 error[data-missing-assistant] the example has no assistant message to learn from\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 has no assistant message.` },
  },
  {
    rule: "a special token in the text",
    line: JSON.stringify({ messages: [U, { role: "assistant", content: "def f(): <|fim_suffix|>" }] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-special-token] message 2 contains the special token `<|fim_suffix|>`, which the service rejects\n  = hint: remove it or break it up, e.g. `<| fim_suffix |>`\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1 message contains an invalid token: <|fim_suffix|>`,
    },
  },
  {
    rule: "tools that are not tool definitions",
    line: JSON.stringify({ messages: [U, A], tools: [{ name: "f" }] }),
    diagnostics:
      'train.jsonl:1:1 error[data-invalid-field] `tools` must be an array of {"type": "function", "function": {"name": ...}} definitions\n1 error\n',
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1 has an invalid "tools": expected an array of {"type": "function", "function": {"name": ...}} definitions.`,
    },
  },
  {
    rule: "DPO: the missing input",
    method: "dpo",
    line: JSON.stringify({ preferred_output: [A], non_preferred_output: [A] }),
    diagnostics: "train.jsonl:1:1 error[data-missing-key] missing key `input`\n1 error\n",
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 is missing key 'input'.` },
  },
  {
    rule: "DPO: the Dec-2024 key names",
    method: "dpo",
    line: JSON.stringify({ input: { messages: [U] }, preferred_completion: [A], non_preferred_output: [A] }),
    diagnostics: [
      "train.jsonl:1:1 error[data-unknown-key] unknown top-level key `preferred_completion`",
      "  = hint: `preferred_completion` is the Dec-2024 name; the service expects `preferred_output`",
      "train.jsonl:1:1 error[data-missing-key] missing key `preferred_output`",
      "2 errors",
      "",
    ].join("\n"),
    job: { code: "invalid_file_format", message: `${FORMAT} Example 1 contains an extra "preferred_completion".` },
  },
  {
    rule: "DPO: two preferred outputs",
    method: "dpo",
    line: JSON.stringify({ input: { messages: [U] }, preferred_output: [A, A], non_preferred_output: [A] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-preference] `preferred_output` must be an array holding exactly one assistant message\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1 has an invalid "preferred_output": it must be an array holding exactly one assistant message.`,
    },
  },
  {
    rule: "DPO: a user message as output",
    method: "dpo",
    line: JSON.stringify({ input: { messages: [U] }, preferred_output: [A], non_preferred_output: [U] }),
    diagnostics:
      "train.jsonl:1:1 error[data-invalid-role] non_preferred_output message 1 has role `user`, which is not allowed here\n  = hint: allowed roles: `assistant`\n1 error\n",
    job: {
      code: "invalid_file_format",
      message: `${FORMAT} Example 1, non_preferred_output message 1 has an invalid role 'user'.`,
    },
  },
];

async function renderFor(line: string, method: "supervised" | "dpo"): Promise<string> {
  const counter = await loadTokenCounter("o200k_base");
  const value = JSON.parse(line);
  const tokens = countExampleTokens(value, method, counter);
  const location = { example: 1, file: "train.jsonl", line: 1 };
  const findings = locateFindings(checkExample(value, method), location, tokens, 65_536);
  return renderDiagnostics(findings.map(findingToDiagnostic), new Map());
}

describe("format checks", () => {
  it.each(CASES)("$rule: tunefile diagnostics", async (c) => {
    expect(await renderFor(c.line, c.method ?? "supervised")).toBe(c.diagnostics);
  });

  it.each(CASES)("$rule: OpenAI job error", async (c) => {
    const verdict = await validateTrainingLines([c.line, ...GOOD], {
      method: c.method ?? "supervised",
      model: "gpt-4o-mini-2024-07-18",
      purpose: "training",
    });
    expect(verdict).toEqual({ ok: false, examples: 1, error: { ...c.job, param: "training_file" } });
  });
});

describe("format checks accept the current formats", () => {
  const accepted: [string, unknown, "supervised" | "dpo"][] = [
    [
      "tool calls without content, a tool reply, parallel_tool_calls and tools",
      {
        messages: [
          U,
          {
            role: "assistant",
            tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"el":"Ne"}' } }],
          },
          { role: "tool", tool_call_id: "c1", content: "10" },
          A,
        ],
        tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
        parallel_tool_calls: false,
      },
      "supervised",
    ],
    [
      "content-part arrays with an image in a user message",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,AA" } },
            ],
          },
          { role: "assistant", content: [{ type: "text", text: "Neon" }] },
        ],
      },
      "supervised",
    ],
    ["weight 0 on an assistant turn", { messages: [U, { ...A, weight: 0 }, U, { ...A, weight: 1 }] }, "supervised"],
    ["a named system message", { messages: [{ role: "system", name: "elle", content: "x" }, U, A] }, "supervised"],
    [
      "a DPO example",
      {
        input: { messages: [U], tools: [] },
        preferred_output: [A],
        non_preferred_output: [{ role: "assistant", content: "no" }],
      },
      "dpo",
    ],
  ];
  it.each(accepted)("%s", async (_name, example, method) => {
    expect(await renderFor(JSON.stringify(example), method)).toBe("");
  });
});

describe("file-level rules", () => {
  const options = { method: "supervised", model: "gpt-4o-mini-2024-07-18", purpose: "training" } as const;

  it("needs at least 10 training examples, in both renderings", async () => {
    const verdict = await validateTrainingLines(GOOD.slice(0, 3), options);
    expect(verdict).toEqual({
      ok: false,
      examples: 3,
      error: {
        code: "invalid_n_examples",
        message: "Training file has 3 example(s), but must have at least 10 examples",
        param: "training_file",
      },
    });
    const finding = { code: "data-too-few-examples", file: "data/x.jsonl", examples: 3, minimum: 10 } as const;
    expect(renderDiagnostics([findingToDiagnostic(finding)], new Map())).toBe(
      [
        "error[data-too-few-examples] the training data (data/x.jsonl) has 3 example(s), but fine-tuning needs at least 10",
        "  = hint: 50 to 100 examples are recommended to see an improvement",
        "1 error",
        "",
      ].join("\n"),
    );
  });

  it("does not ask a validation file for 10 examples, and names it in errors", async () => {
    expect(await validateTrainingLines(GOOD.slice(0, 2), { ...options, purpose: "validation" })).toMatchObject({
      ok: true,
      examples: 2,
    });
    const bad = await validateTrainingLines(["{}"], { ...options, purpose: "validation" });
    expect(bad).toEqual({
      ok: false,
      examples: 1,
      error: {
        code: "invalid_file_format",
        message:
          "The job failed due to a file format error in the validation file. Invalid file format. Example 1 is missing key 'messages'.",
        param: "validation_file",
      },
    });
  });

  it("skips blank lines and a BOM, counts tokens, and fails on a line that is not JSON", async () => {
    const ok = await validateTrainingLines([`\uFEFF${GOOD[0]}`, "", ...GOOD, "  "], options);
    // 10 examples of [user "Tell me about Neon", assistant "Neon glows red"]: 3 + 3 per message, 3 priming,
    // the role strings and contents (checked against the cookbook count in tokens.test.ts).
    expect(ok).toMatchObject({ ok: true, examples: 10 });
    if (!ok.ok) throw new Error("unreachable");
    expect(ok.tokens).toBe(ok.billingTokens);
    expect(ok.tokens % 10).toBe(0);
    const broken = await validateTrainingLines([...GOOD, '{"messages": [', GOOD[0]!], options);
    expect(broken).toMatchObject({
      ok: false,
      examples: 10,
      error: { code: "invalid_file_format", param: "training_file" },
    });
    if (broken.ok) throw new Error("unreachable");
    expect(broken.error.message).toMatch(
      /^The job failed due to a file format error in the training file\. Invalid file format\. Example 10 is not valid JSON\.$/,
    );
  });

  it("warns about examples over the model's token limit instead of failing (the service truncates)", async () => {
    const long = JSON.stringify({ messages: [U, { role: "assistant", content: "neon ".repeat(5000) }] });
    const verdict = await validateTrainingLines([long, ...GOOD], { ...options, model: "gpt-3.5-turbo-0613" });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) throw new Error("unreachable");
    expect(verdict.warnings.map((w: ExampleFinding) => [w.code, w.example])).toEqual([["data-over-token-limit", 1]]);
    expect(verdict.billingTokens).toBe(verdict.tokens - (verdict.warnings[0] as { tokens: number }).tokens + 4096);
    expect(renderDiagnostics(verdict.warnings.map(findingToDiagnostic), new Map())).toBe(
      `training-file.jsonl:1:1 warning[data-over-token-limit] the example has ${(verdict.warnings[0] as { tokens: number }).tokens} tokens, over the model's limit of 4096; the service truncates it\n1 warning\n`,
    );
    expect(findingToJobError(verdict.warnings[0]!, "training").message).toContain("Example 1 has");
  });
});

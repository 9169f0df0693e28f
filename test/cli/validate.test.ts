import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const ELLE_STATS = `10 training examples, 5 validation examples
model gpt-4o-mini-2024-07-18 (supervised): o200k_base, at most 65536 tokens per example

per example                   min   p10  median   p90  max  mean
messages          training      3     3       3     3    3     3
                  validation    3     3       3     3    3     3
tokens            training     75  76.8      78  82.1   83  78.6
                  validation   74  74.8      77  79.2   80    77
assistant tokens  training     36  38.7    39.5    44   44  40.2
                  validation   36  36.8      39  41.2   42    39

totals                         training  validation
examples                             10           5
tokens                              786         385
assistant tokens                    402         195
billing tokens per epoch            786  not billed
over 65536 tokens (truncated)         0           0
without a system message              0           0
without a user message                0           0

estimated training cost: $0.0071 = 3 epochs (configured) × 786 billing tokens × $3.00 per 1M
price source: https://platform.openai.com/docs/guides/fine-tuning, as of 2024-12-01
`;

/** A pipeline whose data has four different problems, each on its own line, and too few examples. */
async function badProject(): Promise<string> {
  const root = await tempDir();
  await mkdir(path.join(root, "data"));
  await writeFile(
    path.join(root, "bad.yaml"),
    "version: 1\nname: bad\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: data/train.jsonl\n",
  );
  const good = {
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "ho" },
    ],
  };
  await writeFile(
    path.join(root, "data/train.jsonl"),
    [
      JSON.stringify(good),
      '{"messages": [',
      JSON.stringify({ ...good, weight: 1 }),
      JSON.stringify({ messages: [{ content: "hi" }, { role: "assistant", content: "ho <|endoftext|>" }] }),
      "",
    ].join("\n"),
  );
  return root;
}

describe("tunefile validate", () => {
  it("prints the Elle statistics and cost, and exits 0", async () => {
    const result = await runCli(["validate", "pipelines/elle.yaml"], { cwd: REPO_ROOT });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(ELLE_STATS);
    expect(result.code).toBe(0);
  });

  it("prints every data problem located at file:line:col with its source line, and exits 2", async () => {
    const result = await runCli(["validate", "bad.yaml"], { cwd: await badProject() });
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        "data/train.jsonl:2:15 error[invalid-json] line 2 is not valid JSON: unexpected end of line: the JSON value is incomplete",
        "  |",
        '2 | {"messages": [',
        "  |               ^",
        "data/train.jsonl:3:1 error[data-unknown-key] unknown top-level key `weight`",
        "  |",
        '3 | {"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ho"}],"weight":1}',
        "  | ^",
        "  = hint: allowed keys: `messages`, `tools`, `parallel_tool_calls`, `functions`",
        "data/train.jsonl:4:1 error[data-missing-role] message 1 has no `role`",
        "  |",
        '4 | {"messages":[{"content":"hi"},{"role":"assistant","content":"ho <|endoftext|>"}]}',
        "  | ^",
        "data/train.jsonl:4:1 error[data-invalid-special-token] message 2 contains the special token `<|endoftext|>`, which the service rejects",
        "  |",
        '4 | {"messages":[{"content":"hi"},{"role":"assistant","content":"ho <|endoftext|>"}]}',
        "  | ^",
        "  = hint: remove it or break it up, e.g. `<| endoftext |>`",
        "error[data-too-few-examples] the training data (data/train.jsonl) has 3 example(s), but fine-tuning needs at least 10",
        "  = hint: 50 to 100 examples are recommended to see an improvement",
        "5 errors",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });

  it("lists the problems in line order, though a shuffle checks the examples in another", async () => {
    const root = await badProject();
    await writeFile(
      path.join(root, "bad.yaml"),
      "version: 1\nname: bad\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: data/train.jsonl\n  transforms: [{ shuffle: { seed: 42 } }]\n",
    );
    const turn = (role: string, content: string | null) => ({ role, content });
    await writeFile(
      path.join(root, "data/train.jsonl"),
      [
        { messages: [turn("user", "hi"), turn("assistant", "ho")] },
        { messages: [turn("user", "no answer")] },
        { messages: [turn("human", "hi"), turn("assistant", "ho")] },
        { messages: [turn("user", "hi"), turn("assistant", null)] },
      ]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const result = await runCli(["validate", "bad.yaml"], { cwd: root });
    const located = result.stderr.split("\n").filter((l) => l.startsWith("data/train.jsonl:"));
    // They came in the shuffled order.
    expect(located.map((l) => l.split(" ")[0])).toEqual([
      "data/train.jsonl:2:1",
      "data/train.jsonl:3:1",
      "data/train.jsonl:4:1",
    ]);
  });

  it("--json prints one object with the diagnostics and the analysis", async () => {
    const bad = await runCli(["validate", "bad.yaml", "--json"], { cwd: await badProject() });
    expect(bad.code).toBe(2);
    const report = JSON.parse(bad.stdout);
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(5);
    expect(report.diagnostics.map((d: { code: string; line: number | null }) => [d.code, d.line])).toEqual([
      ["invalid-json", 2],
      ["data-unknown-key", 3],
      ["data-missing-role", 4],
      ["data-invalid-special-token", 4],
      ["data-too-few-examples", null],
    ]);
    expect(report.analysis.train.examples).toBe(3);

    const elle = await runCli(["validate", "pipelines/elle.yaml", "--json"], { cwd: REPO_ROOT });
    expect(elle.code).toBe(0);
    const ok = JSON.parse(elle.stdout);
    expect([ok.ok, ok.analysis.train.examples, ok.analysis.validation.examples, ok.analysis.estimate.usd]).toEqual([
      true,
      10,
      5,
      0.007074,
    ]);
  });

  it("reports pipeline errors without running the data checks, and -S overrides apply", async () => {
    const result = await runCli(["validate", "pipelines/elle.yaml", "-S", "model=gpt-3.5-turbo-0125"], {
      cwd: REPO_ROOT,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "model gpt-3.5-turbo-0125 (supervised): cl100k_base, at most 16385 tokens per example",
    );
    expect(result.stdout).toContain("× $8.00 per 1M");

    const missing = await runCli(["validate", "nope.yaml"], { cwd: await tempDir() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toContain("    at ");
  });
});

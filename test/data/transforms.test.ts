import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { TemplateTransform, Transform } from "../../src/core/pipeline.generated.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { DataItem } from "../../src/data/item.js";
import { permutation, seededRandom } from "../../src/core/prng.js";
import { Spill } from "../../src/data/spill.js";
import { loadTokenCounter } from "../../src/data/tokens.js";
import { applyTransforms } from "../../src/data/transforms/apply.js";
import type { TransformContext } from "../../src/data/transforms/context.js";
import { splitSpill, validationCount } from "../../src/data/transforms/split.js";
import { tempDir } from "../helpers/temp-dir.js";

const chat = (q: string, a: string, system?: string) => ({
  messages: [
    ...(system ? [{ role: "system", content: system }] : []),
    { role: "user", content: q },
    { role: "assistant", content: a },
  ],
});

async function* itemsOf(values: unknown[]): AsyncGenerator<DataItem> {
  let line = 0;
  for (const value of values) yield { value, file: "data/x.jsonl", line: ++line };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function setup(): Promise<{ ctx: TransformContext; reported: Diagnostic[]; dir: string }> {
  const dir = await tempDir();
  const reported: Diagnostic[] = [];
  const ctx: TransformContext = {
    method: "supervised",
    counter: await loadTokenCounter("o200k_base"),
    tempDir: dir,
    report: (d) => reported.push(d),
  };
  return { ctx, reported, dir };
}

async function run(values: unknown[], transforms: Transform[]) {
  const { ctx, reported, dir } = await setup();
  const out = await collect(applyTransforms(itemsOf(values), transforms, ctx));
  // Spill files are removed once the stream ends.
  expect(await readdir(dir)).toEqual([]);
  return { out, reported };
}

const hundred = Array.from({ length: 100 }, (_, i) => chat(`q${i}`, `a${i}`));
const questions = (items: DataItem[]) =>
  items.map((i) => ((i.value as { messages: { content: string }[] }).messages.at(-2)?.content ?? "").slice(1));

describe("seeded randomness", () => {
  // Expected values from an independent Python transcription of the reference mulberry32.
  it("is a fixed sequence per seed (mulberry32), so a seed names one order forever", () => {
    const random = seededRandom(42);
    expect(Array.from({ length: 3 }, () => random().toFixed(6))).toEqual(["0.601104", "0.448291", "0.852466"]);
    expect([...permutation(6, 7)]).toEqual([...permutation(6, 7)]);
    expect([...permutation(6, 7)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(permutation(100, 1, 5)).toHaveLength(5);
  });
});

describe("transforms", () => {
  it("system: replace puts one system message first; if_missing leaves existing ones", async () => {
    const values = [chat("q", "a"), chat("q", "a", "old")];
    const replaced = await run(values, [{ system: "new" }]);
    expect(replaced.out.map((i) => i.value)).toEqual([chat("q", "a", "new"), chat("q", "a", "new")]);
    const added = await run(values, [{ system: { content: "new", mode: "if_missing" } }]);
    expect(added.out.map((i) => i.value)).toEqual([chat("q", "a", "new"), chat("q", "a", "old")]);
  });

  it("template: maps rows to messages with {{field}}, reporting rows that lack a field", async () => {
    const template: TemplateTransform["template"] = {
      messages: [
        { role: "user", content: "Tell me about {{ element }} ({{symbol}})" },
        { role: "assistant", content: "{{answer}}" },
      ],
    };
    const { out, reported } = await run(
      [
        { element: "Neon", symbol: "Ne", answer: "Glows {{red}}" },
        { element: "Iron", symbol: 26, answer: "Rusts" },
        { element: "Gold", answer: "Shines" },
      ],
      [{ template }],
    );
    // Substituted values are not expanded again: "{{red}}" in a value stays as written.
    expect(out.map((i) => [i.line, i.value])).toEqual([
      [1, chat("Tell me about Neon (Ne)", "Glows {{red}}")],
      [2, chat("Tell me about Iron (26)", "Rusts")],
    ]);
    expect(reported).toEqual([
      {
        severity: "error",
        code: "data-template-missing-field",
        message: "the row has no value for `symbol`, which the template uses",
        span: { file: "data/x.jsonl", line: 3, col: 1 },
        hint: "fields in this row: `element`, `answer`",
      },
    ]);
  });

  it("filter: keeps examples meeting every declared condition", async () => {
    const values = [
      chat("short", "ok"),
      chat("has SECRET inside", "x"),
      chat("q", "a", "sys"),
      chat("long ".repeat(50), "a"),
    ];
    const { out } = await run(values, [{ filter: { exclude_contains: ["secret"], max_tokens: 40, max_messages: 2 } }]);
    expect(questions(out)).toEqual(["hort"]);
    const roles = await run(values, [{ filter: { require_roles: ["system"] } }]);
    expect(roles.out.map((i) => i.line)).toEqual([3]);
  });

  it("dedupe: drops exact repeats whatever the key order, keeping the first", async () => {
    const values = [
      { messages: [{ role: "user", content: "q" }] },
      { messages: [{ content: "q", role: "user" }] },
      { messages: [{ role: "user", content: "q2" }] },
    ];
    const { out } = await run(values, [{ dedupe: "exact" }]);
    expect(out.map((i) => i.line)).toEqual([1, 3]);
  });

  it("shuffle: the same seed gives the same order, another seed another; nothing is lost", async () => {
    const a = questions((await run(hundred, [{ shuffle: { seed: 42 } }])).out);
    const b = questions((await run(hundred, [{ shuffle: { seed: 42 } }])).out);
    const c = questions((await run(hundred, [{ shuffle: { seed: 7 } }])).out);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort()).toEqual(questions((await run(hundred, [])).out).sort());
    expect(a).not.toEqual(questions((await run(hundred, [])).out));
  });

  it("limit and sample: first n, or a seeded sample in the original order", async () => {
    expect((await run(hundred, [{ limit: 3 }])).out.map((i) => i.line)).toEqual([1, 2, 3]);
    const sampled = (await run(hundred, [{ sample: { n: 10, seed: 3 } }])).out.map((i) => i.line);
    expect(sampled).toHaveLength(10);
    expect(sampled).toEqual([...sampled].sort((x, y) => x - y));
    expect((await run(hundred, [{ sample: { n: 10, seed: 3 } }])).out.map((i) => i.line)).toEqual(sampled);
    expect((await run(hundred, [{ sample: { fraction: 0.25, seed: 3 } }])).out).toHaveLength(25);
  });

  it("applies transforms in order: limit before shuffle differs from shuffle before limit", async () => {
    const first = (await run(hundred, [{ limit: 5 }, { shuffle: { seed: 1 } }])).out.map((i) => i.line);
    expect([...first].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
    const second = (await run(hundred, [{ shuffle: { seed: 1 } }, { limit: 5 }])).out.map((i) => i.line);
    expect(second).not.toEqual([...first]);
  });
});

describe("split", () => {
  it("rounds the fraction, leaving at least one example on each side", () => {
    expect([
      validationCount(100, 0.1),
      validationCount(15, 0.33),
      validationCount(10, 0.01),
      validationCount(10, 0.99),
    ]).toEqual([10, 5, 1, 9]);
    expect(validationCount(1, 0.5)).toBe(0);
  });

  it("carves a seeded validation set, disjoint from training, each keeping its order", async () => {
    const { dir } = await setup();
    const spill = await Spill.create(dir);
    try {
      for await (const item of itemsOf(hundred)) await spill.append(item);
      const sides = splitSpill(spill, { validation: 0.2, seed: 9 });
      const train = (await collect(sides.train)).map((i) => i.line);
      const validation = (await collect(sides.validation)).map((i) => i.line);
      expect([train.length, validation.length]).toEqual([80, 20]);
      expect([...train, ...validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(validation).toEqual([...validation].sort((x, y) => x - y));
      const again = splitSpill(spill, { validation: 0.2, seed: 9 });
      expect((await collect(again.validation)).map((i) => i.line)).toEqual(validation);
      const other = splitSpill(spill, { validation: 0.2, seed: 10 });
      expect((await collect(other.validation)).map((i) => i.line)).not.toEqual(validation);
    } finally {
      await spill.dispose();
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

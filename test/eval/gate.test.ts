import { describe, expect, it } from "vitest";
import type { Gate } from "../../src/core/pipeline.generated.js";
import { summarise } from "../../src/eval/stats/summary.js";
import type { EvalCandidate, EvalCell, EvalPrompt } from "../../src/eval/types.js";

const candidates: EvalCandidate[] = [
  { label: "base", kind: "base", model: "gpt-4o-mini-2024-07-18" },
  { label: "fine_tuned", kind: "fine_tuned", model: "ft:gpt-4o-mini-2024-07-18:o:s:x" },
  { label: "few_shot:2", kind: "few_shot", model: "gpt-4o-mini-2024-07-18" },
];

/** `n` prompts; each candidate passes the prompts whose index is in its set. */
function table(n: number, passes: Record<string, (i: number) => boolean>) {
  const prompts: EvalPrompt[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    user: `q${i}`,
    vars: {},
    weight: 1,
    graders: [{ config: { equals: "x" }, group: 'equals "x"' }],
  }));
  const cells: EvalCell[] = prompts.flatMap((p, i) =>
    candidates.map((c) => {
      const pass = passes[c.label]!(i);
      return {
        prompt: p.id,
        candidate: c.label,
        output: pass ? "x" : "y",
        cached: false,
        usage: { prompt_tokens: 10, completion_tokens: 5 },
        latency_ms: 50,
        grades: [{ grader: 'equals "x"', group: 'equals "x"', kind: "equals", pass, reason: "" }],
        pass,
      };
    }),
  );
  return { prompts, cells };
}

// 10 prompts: fine_tuned passes 9 (0-8), base passes 1 (9), few_shot passes 4 (0-3).
const { prompts, cells } = table(10, {
  base: (i) => i === 9,
  fine_tuned: (i) => i < 9,
  "few_shot:2": (i) => i < 4,
});

describe("the gate", () => {
  it.each<[string, Gate | undefined, unknown]>([
    ["no gate", undefined, { status: "none" }],
    [
      "passes: 90% ≥ 80% and beats base with p = 2·11/1024",
      { min_pass_rate: 0.8, must_beat: "base" },
      {
        status: "passed",
        candidate: "fine_tuned",
        reasons: [
          "fine_tuned pass rate 90.0% reaches the minimum 80.0%",
          "fine_tuned beats base: 9 wins, 1 loss, 0 ties; exact McNemar p = 0.0215 <= 0.05",
        ],
      },
    ],
    [
      "fails the minimum",
      { min_pass_rate: 0.95 },
      { status: "failed", candidate: "fine_tuned", reasons: ["fine_tuned pass rate 90.0% is below the minimum 95.0%"] },
    ],
    [
      "not significant at a stricter level",
      { must_beat: "base", significance: 0.01 },
      {
        status: "failed",
        candidate: "fine_tuned",
        reasons: [
          "fine_tuned does not beat base significantly: 9 wins, 1 loss, 0 ties; exact McNemar p = 0.0215 > 0.01",
        ],
      },
    ],
    [
      "must_beat by kind (one few_shot candidate): 5 wins, 0 losses, p = 0.0625",
      { must_beat: "few_shot" },
      {
        status: "failed",
        candidate: "fine_tuned",
        reasons: [
          "fine_tuned does not beat few_shot:2 significantly: 5 wins, 0 losses, 5 ties; exact McNemar p = 0.0625 > 0.05",
        ],
      },
    ],
    [
      "a lower rate never beats, whatever the p-value",
      { candidate: "base", must_beat: "fine_tuned" },
      {
        status: "failed",
        candidate: "base",
        reasons: [
          "base pass rate 10.0% is not higher than fine_tuned's 90.0% (1 win, 9 losses, 0 ties; exact McNemar p = 0.0215)",
        ],
      },
    ],
    [
      "an unknown candidate",
      { candidate: "nope", min_pass_rate: 0.1 },
      { status: "failed", candidate: "nope", reasons: ['gate candidate "nope" is not among the evaluated candidates'] },
    ],
  ])("%s", (_name, g, expected) => {
    expect(summarise(candidates, prompts, cells, g).gate).toEqual(expected);
  });

  it("compares every candidate with base", () => {
    const s = summarise(candidates, prompts, cells, undefined);
    expect(s.comparisons.map((c) => [c.candidate, c.baseline, c.wins, c.losses, c.ties])).toEqual([
      ["fine_tuned", "base", 9, 1, 0],
      ["few_shot:2", "base", 4, 1, 5],
    ]);
    expect(s.candidates.map((c) => [c.label, c.pass.rate, c.by_grader])).toEqual([
      ["base", 0.1, [{ grader: 'equals "x"', rate: 0.1, n: 10 }]],
      ["fine_tuned", 0.9, [{ grader: 'equals "x"', rate: 0.9, n: 10 }]],
      ["few_shot:2", 0.4, [{ grader: 'equals "x"', rate: 0.4, n: 10 }]],
    ]);
    // 10 prompt tokens and 5 completion tokens per request, per 1,000 requests, each candidate at its own rates:
    // base and few-shot at gpt-4o-mini's $0.15/$0.60 per 1M, the fine-tuned model at $0.30/$1.20.
    const per1k = (input: number, output: number) => (1000 * (10 * input + 5 * output)) / 1e6;
    expect(s.candidates.map((c) => [c.label, c.price?.rates, c.price?.input, c.price?.output])).toEqual([
      ["base", "base", 0.15, 0.6],
      ["fine_tuned", "fine_tuned", 0.3, 1.2],
      ["few_shot:2", "base", 0.15, 0.6],
    ]);
    expect(s.candidates[0]!.cost_per_1k_usd).toBeCloseTo(per1k(0.15, 0.6), 12);
    expect(s.candidates[1]!.cost_per_1k_usd).toBeCloseTo(per1k(0.3, 1.2), 12);
    expect(s.candidates[2]!.cost_per_1k_usd).toBeCloseTo(per1k(0.15, 0.6), 12);
  });

  it("never passes a candidate that loses most prompts, however heavily weighted the ones it wins", () => {
    // 31 prompts: fine_tuned wins prompt 0 (weight 100), base wins 1-10, both pass 11-30. fine_tuned's weighted rate
    // is higher (120/130 against 30/130), but it loses 10 prompts to 1, significantly (p = 0.0117).
    const weighted = table(31, { base: (i) => i > 0, fine_tuned: (i) => i === 0 || i > 10, "few_shot:2": () => false });
    weighted.prompts[0]!.weight = 100;
    const gate = summarise(candidates, weighted.prompts, weighted.cells, { must_beat: "base" }).gate;
    expect(gate).toEqual({
      status: "failed",
      candidate: "fine_tuned",
      reasons: ["fine_tuned does not win more prompts than base (1 win, 10 losses, 20 ties; exact McNemar p = 0.0117)"],
    });
  });

  it("leaves weight-0 prompts out of the paired test, as out of the rates", () => {
    const zero = table(10, { base: (i) => i === 9, fine_tuned: (i) => i < 9, "few_shot:2": () => false });
    for (const p of zero.prompts.slice(0, 5)) p.weight = 0;
    const s = summarise(candidates, zero.prompts, zero.cells, undefined);
    expect(s.comparisons.find((c) => c.candidate === "fine_tuned")).toMatchObject({ wins: 4, losses: 1, ties: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { parseMetricsCsv } from "../../src/report/metrics.js";
import { renderRunSummary, sparkline } from "../../src/report/terminal.js";
import { fixedResults } from "./fixture.js";

const METRICS = parseMetricsCsv(
  "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,3.2,0.1,,\n2,2.5,0.2,2.6,0.2\n3,1.9,0.35,,\n4,1.2,0.5,1.3,0.45\n5,0.8,0.7,,\n6,0.5,0.8,0.7,0.7\n",
);

describe("report.md", () => {
  it("renders a fixed result as this exact text", () => {
    expect(renderMarkdown(fixedResults())).toBe(EXPECTED_MARKDOWN);
  });

  it("does not depend on cache flags (a rerun from the cache gives the same file)", () => {
    const rerun = fixedResults();
    for (const c of rerun.cells) c.cached = true;
    expect(renderMarkdown(rerun)).toBe(EXPECTED_MARKDOWN);
  });
});

describe("report.md cells", () => {
  it("shows answers as text: markup, pipes and line breaks cannot break the table", () => {
    const results = fixedResults();
    results.cells[0]!.output = "<b>Neon</b> | gas\nline two & more";
    const row = renderMarkdown(results)
      .split("\n")
      .find((l) => l.startsWith("| base | &lt;b>"));
    expect(row).toBe(
      '| base | &lt;b>Neon&lt;/b> \\| gas<br>line two &amp; more | **fail**<br>✓ icontains "Neon": found "Neon"<br>✗ lines 5..5 split " - ": 1 line |',
    );
  });
});

describe("terminal summary", () => {
  it("renders the loss sparkline, the candidate table and the gate", () => {
    const text = renderRunSummary({ results: fixedResults(), metrics: METRICS, reportPath: "reports/elle/report.md" });
    expect(text).toBe(EXPECTED_SUMMARY);
  });

  it("is empty with nothing recorded", () => {
    expect(renderRunSummary({})).toBe("");
  });

  it.each([
    [[], ""],
    [[1, 2, 3, 4, 5, 6, 7, 8], "▁▂▃▄▅▆▇█"],
    [[5, 5, 5], "▄▄▄"],
    // 8 values into 4 buckets of 2: means 1.5, 3.5, 5.5, 7.5
    [[1, 2, 3, 4, 5, 6, 7, 8], "▁▃▆█", 4],
  ] as [number[], string, number?][])("sparkline %j", (values, expected, width) => {
    expect(sparkline(values, width)).toBe(expected);
  });
});

const EXPECTED_MARKDOWN = `# elle: evaluation report

Elle answers questions about chemical elements with a limerick.

Provider: local. 3 prompts × 2 candidates. Parameters: max_completion_tokens 120, temperature 0.

## Gate

**Gate NOT met: fine_tuned is not deployed (exit code 100).**

- fine_tuned pass rate 50.0% reaches the minimum 50.0%
- fine_tuned does not beat base significantly: 2 wins, 0 losses, 1 tie; exact McNemar p = 0.5000 > 0.05

## Summary

| Candidate | Model | Pass rate | 95% CI | vs base | Prompt tokens | Completion tokens | Latency p50 | Latency p95 | Cost / 1k requests |
|---|---|---|---|---|---|---|---|---|---|
| base | \`gpt-4o-mini-2024-07-18\` | 0.0% | 0.0% – 59.0% | — | 20.0 | 10.0 | 118 ms | 134 ms | $0.0180 |
| fine_tuned | \`ft:gpt-4o-mini-2024-07-18:local:elle:abc123\` | 50.0% | 11.6% – 88.4% | +2 −0, p = 0.5000 | 21.0 | 15.0 | 214 ms | 219 ms | $0.0243 |

Pass rates are weighted by prompt weight, with 95% Wilson intervals. "vs base" counts prompts won and lost against base, with the exact McNemar p-value. Tokens are means per request; costs are estimates at the catalog's inference prices (src/data/models.ts), not a bill.

## Pass rate per grader

| Grader | base | fine_tuned |
|---|---|---|
| icontains "{{element}}" | 100.0% | 100.0% |
| lines 5..5 split " - " | 0.0% | 50.0% |

## Prompts

### tell-me-about-neon

> Tell me about Neon

| Candidate | Answer | Result |
|---|---|---|
| base | Neon is a noble gas \\| used in signs. | **fail**<br>✓ icontains "Neon": found "Neon"<br>✗ lines 5..5 split " - ": 1 line |
| fine_tuned | Neon glows red - In tubes it is fed - A noble gas bright - It shines in the night - Signs light up ahead | **pass**<br>✓ icontains "Neon": found "Neon"<br>✓ lines 5..5 split " - ": 5 lines |

### tell-me-about-zinc

> Tell me about Zinc

| Candidate | Answer | Result |
|---|---|---|
| base | Zinc is a metal. | **fail**<br>✓ icontains "Zinc": found "Zinc"<br>✗ lines 5..5 split " - ": 1 line |
| fine_tuned | Zinc keeps steel from rust - Galvanised, a must - In pennies it hides - With copper besides - A metal to trust | **pass**<br>✓ icontains "Zinc": found "Zinc"<br>✓ lines 5..5 split " - ": 5 lines |

### tell-me-about-gold

Weight 2.

> Tell me about Gold

| Candidate | Answer | Result |
|---|---|---|
| base | Gold - is - yellow | **fail**<br>✓ icontains "Gold": found "Gold"<br>✗ lines 5..5 split " - ": 3 lines |
| fine_tuned | Gold is soft and it shines | **fail**<br>✓ icontains "Gold": found "Gold"<br>✗ lines 5..5 split " - ": 1 line |
`;

const EXPECTED_SUMMARY = `Training loss  █▆▅▃▂▁  3.200 → 0.500 over 6 steps

Evaluation: 3 prompts × 2 candidates
  candidate   pass   95% CI         vs base         tokens in/out  p50     cost/1k req
  base        0.0%   0.0% – 59.0%   —               20.0/10.0      118 ms  $0.0180
  fine_tuned  50.0%  11.6% – 88.4%  +2 −0 p=0.5000  21.0/15.0      214 ms  $0.0243
Gate NOT met: fine_tuned is not deployed (exit code 100).
  - fine_tuned pass rate 50.0% reaches the minimum 50.0%
  - fine_tuned does not beat base significantly: 2 wins, 0 losses, 1 tie; exact McNemar p = 0.5000 > 0.05
Report: reports/elle/report.md
`;

import { describe, expect, it } from "vitest";
import { summarise } from "../../src/eval/stats/summary.js";
import { LOCAL_PROVIDER_NOTE } from "../../src/report/evidence.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { trainingFacts } from "../../src/report/training-facts.js";
import { renderRunSummary, sparkline } from "../../src/report/terminal.js";
import { FIXTURE_METRICS, fixedResults } from "./fixture.js";

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

describe("report.md: how far the evidence goes", () => {
  it("labels only the local provider's results as such", () => {
    const local = renderMarkdown(fixedResults());
    expect(local).toContain(`> **${LOCAL_PROVIDER_NOTE}**`);
    const remote = fixedResults();
    remote.provider = { kind: "openai", base_url: "https://api.openai.com/v1" };
    expect(renderMarkdown(remote)).not.toContain("built-in local provider");
  });

  it("says the prompts are held out when none appears in the training data", () => {
    const results = fixedResults();
    results.training_overlap = { ...results.training_overlap!, matches: [] };
    const md = renderMarkdown(results);
    expect(md).toContain(
      "Held out: 0 of 3 evaluation prompts appear in the training data (compared as rendered with every training user message, exactly and ignoring case and whitespace).",
    );
    expect(md).not.toContain("Warning: ");
  });

  it("marks a pipeline's price override and names its source", () => {
    const results = fixedResults();
    results.summary = summarise(results.candidates, results.prompts, results.cells, undefined, {
      "gpt-4o-mini": { input: 0.1, output: 0.5, source: "contract 42", as_of: "2026-09-01" },
    });
    const md = renderMarkdown(results);
    expect(md).toContain(
      "| base | gpt-4o-mini | base model | $0.10 | $0.50 | pipeline override: contract 42, as of 2026-09-01 |",
    );
    // The fine-tuned model has no key of its own: the table's fine-tuned rates.
    expect(md).toMatch(
      /\| fine_tuned \| gpt-4o-mini-2024-07-18 \| fine-tuned \| \$0\.30 \| \$1\.20 \| https:\/\/platform\.openai\.com\/docs\/pricing, as of /,
    );
    // 20 prompt and 10 completion tokens per request at $0.10 / $0.50 per 1M.
    expect(md).toContain(`| $${((1000 * (20 * 0.1 + 10 * 0.5)) / 1e6).toFixed(4)} |`);
  });

  it("says when training was skipped for an existing model", () => {
    const results = fixedResults();
    results.training = trainingFacts({
      config: {
        version: 1,
        name: "elle",
        model: "gpt-4o-mini-2024-07-18",
        dataset: { train: "t.jsonl" },
        training: { fine_tuned_model: "ft:gpt-4o-mini-2024-07-18:org::x1" },
      },
      train: undefined,
      provider: results.provider,
      metrics: undefined,
    });
    expect(renderMarkdown(results)).toContain(
      "## Training\n\n| Fact | Value |\n|---|---|\n| Training | skipped: the pipeline names an existing model (training.fine_tuned_model: ft:gpt-4o-mini-2024-07-18:org::x1) |\n",
    );
  });
});

describe("answers cut off at the token limit", () => {
  const cut = () => {
    const results = fixedResults();
    for (const c of results.cells) if (c.candidate === "base") c.finish_reason = "length";
    return results;
  };
  const WARNING =
    "base: 3 of 3 answers stopped at the token limit (120) and were graded cut off; raise evaluation.params.max_tokens to grade whole answers.";

  it("warns in report.md under the gate and marks each cut-off answer", () => {
    expect(renderMarkdown(fixedResults())).not.toContain("token limit");
    const md = renderMarkdown(cut());
    expect(md).toContain(`**Warning:** ${WARNING}\n\n## Held-out prompts`);
    expect(md).toContain("| base | Zinc is a metal. | **fail (cut off at the token limit)**<br>");
  });

  it("warns of answers stopped by the provider's content filter the same way", () => {
    const results = fixedResults();
    results.cells.find((c) => c.candidate === "fine_tuned")!.finish_reason = "content_filter";
    const md = renderMarkdown(results);
    expect(md).toContain(
      "**Warning:** fine_tuned: 1 of 3 answers were stopped by the provider's content filter and graded as they came.",
    );
    expect(md).toContain("(stopped by the content filter)**");
    expect(md).not.toContain("token limit");
  });

  it("warns in the terminal summary", () => {
    expect(renderRunSummary({ results: fixedResults() })).not.toContain("token limit");
    expect(renderRunSummary({ results: cut() })).toContain(`\nWarning: ${WARNING}\n`);
  });
});

describe("terminal summary", () => {
  it("renders the loss sparkline, the candidate table and the gate", () => {
    const text = renderRunSummary({
      results: fixedResults(),
      metrics: FIXTURE_METRICS,
      reportPath: "reports/elle/report.md",
    });
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

> **Results from tunefile's built-in local provider: a tiny CPU model, not the named model; use them to test the pipeline, not to judge the model.**

Elle answers questions about chemical elements with a limerick.

Provider: local. 3 prompts × 2 candidates. Parameters: max_completion_tokens 120, temperature 0.

## Gate

**Gate NOT met: fine_tuned is not deployed (exit code 100).**

- fine_tuned pass rate 50.0% reaches the minimum 50.0%
- fine_tuned does not beat base significantly: 2 wins, 0 losses, 1 tie; exact McNemar p = 0.5000 > 0.05

## Held-out prompts

Warning: 1 of 3 evaluation prompts appear in the training data (compared as rendered with every training user message, exactly and ignoring case and whitespace). Their results show recall of training examples, not how the model does on new questions:

- tell-me-about-gold: same text ignoring case and whitespace, .tunefile/elle/train.jsonl:4

## Summary

| Candidate | Model | Pass rate | 95% CI | vs base | Prompt tokens | Completion tokens | Latency p50 | Latency p95 | Cost / 1k requests |
|---|---|---|---|---|---|---|---|---|---|
| base | \`gpt-4o-mini-2024-07-18\` | 0.0% | 0.0% – 59.0% | — | 20.0 | 10.0 | 118 ms | 134 ms | $0.0090 |
| fine_tuned | \`ft:gpt-4o-mini-2024-07-18:local:elle:abc123\` | 50.0% | 11.6% – 88.4% | +2 −0, p = 0.5000 | 21.0 | 15.0 | 214 ms | 219 ms | $0.0243 |

Pass rates are weighted by prompt weight, with 95% Wilson intervals. "vs base" counts prompts won and lost against base, with the exact McNemar p-value. Tokens are means per request; costs are estimates at each candidate's own prices (below), not a bill.

## Prices

| Candidate | Priced as | Rates | Input / 1M tokens | Output / 1M tokens | Source |
|---|---|---|---|---|---|
| base | gpt-4o-mini-2024-07-18 | base model | $0.15 | $0.60 | https://platform.openai.com/docs/pricing, as of 2026-06-01 (read from several consistent third-party copies of the page) |
| fine_tuned | gpt-4o-mini-2024-07-18 | fine-tuned | $0.30 | $1.20 | https://platform.openai.com/docs/pricing, as of 2026-04-01 (read from several consistent third-party copies of the page) |

Base and few-shot candidates are priced at the base model's own rates, fine-tuned models and checkpoints at the fine-tuned rates.

## Training

**Warning:** validation loss rose from its minimum 1.767 at step 5 to 2.133 at step 6 (per-step losses averaged over 3 logged steps): the model is overfitting; fewer epochs may help.

**Warning:** validation loss ends at 2.133, far above the training loss 0.833 (per-step losses averaged over 3 logged steps): the model fits its training examples but not unseen ones (overfitting); fewer epochs or more varied training data may help.

| Fact | Value |
|---|---|
| Provider | local (local:.tunefile/local) |
| Job | ftjob-abc |
| Base model | gpt-4o-mini-2024-07-18 |
| Fine-tuned model | ft:gpt-4o-mini-2024-07-18:local:elle:abc123 |
| Hyperparameters | batch_size 1, learning_rate_multiplier 2, n_epochs 3 |
| Trained tokens | 2,358 |
| Training cost | estimated $0.0071, actual $0.0071 (2,358 trained tokens × $3.00 per 1M) |
| Training price | https://platform.openai.com/docs/guides/fine-tuning, as of 2024-12-01 |
| Duration | 4 min 12 s (job created 2026-11-30T10:00:01.000Z, finished 2026-11-30T10:04:13.000Z) |
| Checkpoints | 2 |

| Checkpoint | Step | Train loss | Validation loss |
|---|---|---|---|
| ft:gpt-4o-mini-2024-07-18:local:elle:abc123:ckpt-step-3 | 3 | 1.900 | 1.800 |
| ft:gpt-4o-mini-2024-07-18:local:elle:abc123:ckpt-step-6 | 6 | 0.500 | 2.900 |

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
Warning: validation loss rose from its minimum 1.767 at step 5 to 2.133 at step 6 (per-step losses averaged over 3 logged steps): the model is overfitting; fewer epochs may help.
Warning: validation loss ends at 2.133, far above the training loss 0.833 (per-step losses averaged over 3 logged steps): the model fits its training examples but not unseen ones (overfitting); fewer epochs or more varied training data may help.

Evaluation: 3 prompts × 2 candidates
  candidate   pass   95% CI         vs base         tokens in/out  p50     cost/1k req
  base        0.0%   0.0% – 59.0%   —               20.0/10.0      118 ms  $0.0090
  fine_tuned  50.0%  11.6% – 88.4%  +2 −0 p=0.5000  21.0/15.0      214 ms  $0.0243
Warning: 1 of 3 evaluation prompts appear in the training data (compared as rendered with every training user message, exactly and ignoring case and whitespace). Their results show recall of training examples, not how the model does on new questions:
  - tell-me-about-gold: same text ignoring case and whitespace, .tunefile/elle/train.jsonl:4
Gate NOT met: fine_tuned is not deployed (exit code 100).
  - fine_tuned pass rate 50.0% reaches the minimum 50.0%
  - fine_tuned does not beat base significantly: 2 wins, 0 losses, 1 tie; exact McNemar p = 0.5000 > 0.05
Report: reports/elle/report.md
`;

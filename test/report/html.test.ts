import { describe, expect, it } from "vitest";
import { LOCAL_PROVIDER_NOTE } from "../../src/report/evidence.js";
import { renderHtml } from "../../src/report/html.js";
import { FIXTURE_METRICS, fixedResults } from "./fixture.js";

/** The text of the element with this id, tags stripped (the page has no script, so this is what a reader sees). */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return "";
  const end = html.indexOf("<h2>", start);
  return html
    .slice(start, end < 0 ? undefined : end)
    .replace(/^[^>]*>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("report.html: how far the evidence goes", () => {
  const html = renderHtml(fixedResults(), FIXTURE_METRICS);

  it("labels the local provider's results under the title", () => {
    expect(html).toContain(
      `<h1>elle: evaluation report</h1>\n<div id="provider-note" class="note"><strong>${LOCAL_PROVIDER_NOTE}</strong></div>`,
    );
    const remote = fixedResults();
    remote.provider = { kind: "openai", base_url: "https://api.openai.com/v1" };
    expect(renderHtml(remote, undefined)).not.toContain('id="provider-note"');
  });

  it("says which prompts appear in the training data", () => {
    expect(section(html, "held-out")).toBe(
      "Warning: 1 of 3 evaluation prompts appear in the training data (compared as rendered with every training user message, exactly and ignoring case and whitespace). Their results show recall of training examples, not how the model does on new questions: tell-me-about-gold: same text ignoring case and whitespace, .tunefile/elle/train.jsonl:4",
    );
  });

  it("states every price with its source and date", () => {
    expect(section(html, "prices")).toContain(
      "base gpt-4o-mini-2024-07-18 base model $0.15 $0.60 https://platform.openai.com/docs/pricing, as of 2026-06-01",
    );
    expect(section(html, "prices")).toContain("fine_tuned gpt-4o-mini-2024-07-18 fine-tuned $0.30 $1.20");
  });

  it("has the training facts, checkpoints and the overfitting warning", () => {
    const training = section(html, "training");
    for (const fact of [
      "Provider local (local:.tunefile/local)",
      "Job ftjob-abc",
      "Base model gpt-4o-mini-2024-07-18",
      "Hyperparameters batch_size 1, learning_rate_multiplier 2, n_epochs 3",
      "Trained tokens 2,358",
      "Training cost estimated $0.0071, actual $0.0071 (2,358 trained tokens × $3.00 per 1M)",
      "Training price https://platform.openai.com/docs/guides/fine-tuning, as of 2024-12-01",
      "Duration 4 min 12 s",
      "ft:gpt-4o-mini-2024-07-18:local:elle:abc123:ckpt-step-6 6 0.500 2.900",
    ]) {
      expect(training).toContain(fact);
    }
    const start = html.indexOf("<h2>Training</h2>");
    expect(html.slice(start, html.indexOf('id="training"'))).toContain(
      "validation loss rose from its minimum 1.767 at step 5 to 2.133 at step 6",
    );
  });
});

describe("report.html: answers cut off at the token limit", () => {
  it("warns per candidate and marks each cut-off answer", () => {
    const results = fixedResults();
    expect(renderHtml(results, undefined)).not.toContain('id="stopped-short"');
    for (const c of results.cells)
      if (c.candidate === "fine_tuned" && c.prompt !== "tell-me-about-gold") c.finish_reason = "length";
    const html = renderHtml(results, undefined);
    expect(section(html, "stopped-short")).toBe(
      "Warning: fine_tuned: 2 of 3 answers stopped at the token limit (120) and were graded cut off; raise evaluation.params.max_tokens to grade whole answers.",
    );
    expect(html.match(/\(cut off at the token limit\)/g)).toHaveLength(2);
  });
});

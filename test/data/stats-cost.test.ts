import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultEpochs, estimateTrainingCost, pipelineEstimate } from "../../src/data/cost.js";
import { NumberColumn } from "../../src/data/distribution.js";
import { renderEstimate } from "../../src/data/render-analysis.js";
import { StatsAccumulator, shapeOf } from "../../src/data/stats.js";

describe("the cookbook's default-epoch heuristic", () => {
  it.each([
    [1, 25],
    [5, 20],
    [10, 10],
    [33, 3],
    [34, 3],
    [100, 3],
    [8333, 3],
    [8334, 2],
    [100_000, 1],
  ])("%i examples -> %i epochs", (examples, epochs) => {
    expect(defaultEpochs(examples)).toBe(epochs);
  });
});

describe("cost estimate", () => {
  it("trains a provider's own default epochs for auto where it has one (Together: 1), else the cookbook's", () => {
    const at = (provider: Parameters<typeof estimateTrainingCost>[0]["provider"], nEpochs?: number) =>
      estimateTrainingCost({ model: "m", trainExamples: 10, billingTokens: 100, nEpochs, provider });
    expect(at({ kind: "together" })).toMatchObject({ n_epochs: 1, epochs_from: "provider", trained_tokens: 100 });
    expect(at("together", 4)).toMatchObject({ n_epochs: 4, epochs_from: "configured" });
    expect(at("openai")).toMatchObject({ n_epochs: 10, epochs_from: "heuristic" });
    expect(renderEstimate(at("together"))[0]).toContain("1 epoch (auto: the provider's default)");
  });

  it("is estimated again with the pipeline as it is now: its prices, and its provider's epochs", () => {
    const recorded = estimateTrainingCost({ model: "gpt-4o-mini", trainExamples: 10, billingTokens: 786 });
    expect(recorded.usd).toBe(0.02358); // 10 epochs by the cookbook's rule at $3 per 1M
    const priced = pipelineEstimate(
      { model: "gpt-4o-mini", prices: { "gpt-4o-mini": { input: 0.15, output: 0.6, training: 30 } } },
      10,
      recorded.billing_tokens,
    );
    expect(priced.usd).toBe(0.2358);
    expect(pipelineEstimate({ model: "gpt-4o-mini", provider: "together" }, 10, recorded.billing_tokens).usd).toBe(
      0.002358,
    );
  });

  it("is epochs x billing tokens x the catalog price, with the price's provenance", () => {
    const estimate = estimateTrainingCost({ model: "gpt-4o-mini", trainExamples: 10, billingTokens: 786, nEpochs: 3 });
    expect(estimate).toEqual({
      n_epochs: 3,
      epochs_from: "configured",
      billing_tokens: 786,
      trained_tokens: 2358,
      usd: 0.007074,
      usd_per_1m: 3,
      price_source: "https://platform.openai.com/docs/guides/fine-tuning",
      price_as_of: "2024-12-01",
      price_note: null,
    });
    expect(renderEstimate(estimate)).toEqual([
      "estimated training cost: $0.0071 = 3 epochs (configured) × 786 billing tokens × $3.00 per 1M",
      "price source: https://platform.openai.com/docs/guides/fine-tuning, as of 2024-12-01",
    ]);
  });

  it("uses the pipeline's override for the model (by snapshot or alias), and says so", () => {
    const prices = { "gpt-4o-mini-2024-07-18": { input: 0.1, output: 0.4, training: 2, as_of: "2026-09-01" } };
    const estimate = estimateTrainingCost({
      model: "gpt-4o-mini",
      trainExamples: 10,
      billingTokens: 786,
      nEpochs: 3,
      prices,
    });
    expect([estimate.usd, estimate.usd_per_1m, estimate.price_source, estimate.price_as_of]).toEqual([
      0.004716,
      2,
      "pipeline override",
      "2026-09-01",
    ]);
    const sourced = {
      "gpt-4o-mini": { input: 0.1, output: 0.4, training: 2.5, source: "contract 42", as_of: "2026-09-01" },
    };
    expect(
      renderEstimate(
        estimateTrainingCost({
          model: "gpt-4o-mini-2024-07-18",
          trainExamples: 10,
          billingTokens: 786,
          nEpochs: 3,
          prices: sourced,
        }),
      ),
    ).toEqual([
      "estimated training cost: $0.0059 = 3 epochs (configured) × 786 billing tokens × $2.50 per 1M",
      "price source: pipeline override: contract 42, as of 2026-09-01",
    ]);
    const undated = { "gpt-4o-mini": { input: 0.1, output: 0.4, training: 2 } };
    expect(
      renderEstimate(
        estimateTrainingCost({
          model: "gpt-4o-mini",
          trainExamples: 10,
          billingTokens: 786,
          nEpochs: 3,
          prices: undated,
        }),
      )[1],
    ).toBe("price source: pipeline override, undated");
    // An override without `training` leaves the training price to the table.
    const inferenceOnly = { "gpt-4o-mini": { input: 0.1, output: 0.4 } };
    expect(
      estimateTrainingCost({
        model: "gpt-4o-mini",
        trainExamples: 10,
        billingTokens: 786,
        nEpochs: 3,
        prices: inferenceOnly,
      }).usd_per_1m,
    ).toBe(3);
  });

  it("says when a training price is unconfirmed", () => {
    const estimate = estimateTrainingCost({
      model: "gpt-4.1-mini",
      trainExamples: 10,
      billingTokens: 1000,
      nEpochs: 1,
    });
    expect(renderEstimate(estimate)[1]).toBe(
      "price source: https://platform.openai.com/docs/pricing, as of 2025-04-14 (unconfirmed: from third-party tables and launch notes, not read from the page itself)",
    );
  });

  it("reproduces the guide's worked example: 100k tokens x 3 epochs costs $0.90 on gpt-4o-mini, $2.40 on gpt-3.5-turbo", () => {
    const mini = estimateTrainingCost({ model: "gpt-4o-mini-2024-07-18", trainExamples: 500, billingTokens: 100_000 });
    expect([mini.n_epochs, mini.epochs_from, mini.usd]).toEqual([3, "heuristic", 0.9]);
    expect(
      estimateTrainingCost({ model: "ft:gpt-3.5-turbo-0125:org::x1", trainExamples: 500, billingTokens: 100_000 }).usd,
    ).toBe(2.4);
  });

  it("has no price for an unknown model, and says so", () => {
    const estimate = estimateTrainingCost({ model: "my-model", trainExamples: 5, billingTokens: 100 });
    expect([estimate.n_epochs, estimate.usd, estimate.price_source]).toEqual([20, null, null]);
    expect(renderEstimate(estimate)).toEqual([
      "estimated training cost: unknown (no price for this model); 20 epochs (auto: cookbook heuristic) × 100 billing tokens",
    ]);
  });
});

describe("statistics", () => {
  it("summarizes like numpy's linear quantiles", () => {
    const column = new NumberColumn();
    for (let i = 10; i >= 1; i--) column.push(i);
    expect(column.summarize()).toEqual({ min: 1, p10: 1.9, median: 5.5, p90: 9.1, max: 10, mean: 5.5 });
    expect(new NumberColumn().summarize()).toEqual({ min: 0, p10: 0, median: 0, p90: 0, max: 0, mean: 0 });
  });

  it("keeps a histogram whose quantiles equal sorting every value, small and large", () => {
    const round2 = (n: number) => Math.round(n * 100) / 100;
    const q = (sorted: number[], p: number) => {
      const at = (sorted.length - 1) * p;
      const lo = Math.floor(at);
      const hi = Math.min(lo + 1, sorted.length - 1);
      return round2(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo));
    };
    const value = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 60_000, max: 5_000_000 }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        const column = new NumberColumn();
        for (const v of values) column.push(v);
        const sorted = [...values].sort((a, b) => a - b);
        const sum = values.reduce((a, b) => a + b, 0);
        expect(column.summarize()).toEqual({
          min: sorted[0],
          p10: q(sorted, 0.1),
          median: q(sorted, 0.5),
          p90: q(sorted, 0.9),
          max: sorted[sorted.length - 1],
          mean: round2(sum / values.length),
        });
        expect([column.length, column.total]).toEqual([values.length, sum]);
      }),
      { numRuns: 200 },
    );
  });

  it("counts missing system and user messages, over-limit examples and billing tokens (capped at the limit)", () => {
    const stats = new StatsAccumulator(100);
    const add = (example: unknown, tokens: { total: number; assistant: number; approximate: boolean }) => {
      const shape = shapeOf(example);
      stats.addCounts(shape.messages, shape.system, shape.user, tokens);
    };
    add({ messages: [{ role: "user" }, { role: "assistant" }] }, { total: 50, assistant: 10, approximate: false });
    add({ messages: [{ role: "system" }, { role: "assistant" }] }, { total: 150, assistant: 20, approximate: true });
    const result = stats.result();
    expect(result).toMatchObject({
      examples: 2,
      tokens: 200,
      assistant_tokens: 30,
      billing_tokens: 150,
      over_limit: 1,
      missing_system: 1,
      missing_user: 1,
      approximate_counts: 1,
    });
    expect(result.messages_per_example.max).toBe(2);
  });
});

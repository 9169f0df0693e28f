import { describe, expect, it } from "vitest";
import { MODEL_CATALOG } from "../../src/core/catalog/models.js";
import {
  batchInferencePrice,
  describeProvenance,
  inferencePrice,
  trainingPrice,
} from "../../src/core/catalog/prices.js";
import { candidatePrice } from "../../src/eval/stats/cost.js";

describe("the price table", () => {
  it("gives every price a public URL and a date, and Batch rates at half of the synchronous ones", () => {
    for (const family of MODEL_CATALOG) {
      const { base, fine_tuned, training } = family.prices;
      const batch = {
        base: batchInferencePrice(family.snapshot, "base"),
        fine_tuned: batchInferencePrice(family.snapshot, "fine_tuned"),
      };
      for (const row of [base, fine_tuned, batch.base, batch.fine_tuned, training]) {
        if (!row) continue;
        expect(row.source, family.snapshot).toMatch(/^https:\/\/(platform\.)?openai\.com\//);
        expect(row.as_of, family.snapshot).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect([batch.fine_tuned?.input, batch.fine_tuned?.output]).toEqual([
        fine_tuned.input / 2,
        fine_tuned.output / 2,
      ]);
      if (base) expect([batch.base?.input, batch.base?.output]).toEqual([base.input / 2, base.output / 2]);
      else expect(batch.base).toBeUndefined();
    }
  });

  it("prices gpt-4o-mini at its own rates as a base model and at the fine-tuned rates as a fine-tuned one", () => {
    const pick = (p: ReturnType<typeof inferencePrice>) => [p?.input, p?.output, p?.source];
    const url = "https://platform.openai.com/docs/pricing";
    expect(pick(inferencePrice("gpt-4o-mini", "base"))).toEqual([0.15, 0.6, url]);
    expect(pick(inferencePrice("ft:gpt-4o-mini-2024-07-18:org:elle:abc", "fine_tuned"))).toEqual([0.3, 1.2, url]);
    expect(trainingPrice("gpt-4o-mini-2024-07-18")?.per_1m).toBe(3);
    expect(inferencePrice("my-model", "base")).toBeUndefined();
  });

  it("charges each candidate kind at its own model's rates", () => {
    const model = "gpt-4o-mini-2024-07-18";
    const ft = "ft:gpt-4o-mini-2024-07-18:org:elle:abc";
    const rates = (kind: Parameters<typeof candidatePrice>[0]["kind"], m: string) =>
      candidatePrice({ kind, model: m })?.input;
    expect([
      rates("base", model),
      rates("few_shot", model),
      rates("fine_tuned", ft),
      rates("checkpoint", `${ft}:ckpt-step-20`),
      rates("model", model),
      rates("model", ft),
    ]).toEqual([0.15, 0.15, 0.3, 0.3, 0.15, 0.3]);
  });

  it("charges batch rates in batch mode, except to a candidate on another provider, which is asked synchronously", () => {
    const model = "gpt-4o-mini-2024-07-18";
    expect(candidatePrice({ kind: "base", model }, undefined, "batch")?.input).toBe(0.075);
    expect(candidatePrice({ kind: "model", model, provider: "azure" }, undefined, "batch")?.input).toBe(0.15);
  });
});

describe("pipeline price overrides", () => {
  const prices = {
    "gpt-4o-mini": { input: 0.1, output: 0.5, source: "contract 42", as_of: "2026-09-01" },
    "ft:gpt-4o-mini-2024-07-18:org:elle:abc": { input: 0.2, output: 0.9 },
  };

  it("win over the table: a base-model key for base rates, an exact id for a fine-tuned model", () => {
    const base = inferencePrice("gpt-4o-mini-2024-07-18", "base", prices);
    expect(base).toMatchObject({ input: 0.1, output: 0.5, override: true, priced_as: "gpt-4o-mini" });
    expect(describeProvenance(base!)).toBe("pipeline override: contract 42, as of 2026-09-01");
    const ft = inferencePrice("ft:gpt-4o-mini-2024-07-18:org:elle:abc", "fine_tuned", prices);
    expect(ft).toMatchObject({ input: 0.2, output: 0.9, override: true });
    expect(describeProvenance(ft!)).toBe("pipeline override, undated");
  });

  it("leave other fine-tuned models at the table's fine-tuned rates", () => {
    const other = inferencePrice("ft:gpt-4o-mini-2024-07-18:org:elle:zzz", "fine_tuned", prices);
    expect(other).toMatchObject({ input: 0.3, output: 1.2, override: false });
    expect(describeProvenance(other!)).toBe(
      "https://platform.openai.com/docs/pricing, as of 2026-04-01 (read from several consistent third-party copies of the page)",
    );
  });
});

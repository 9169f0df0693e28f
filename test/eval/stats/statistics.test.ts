import { describe, expect, it } from "vitest";
import { exactMcNemar, percentile, weightedRate, wilsonInterval } from "../../../src/eval/stats/summary.js";

describe("wilsonInterval", () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857-872,
  // Table II, method 3 (Wilson score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1.0],
  ])("%i/%i → [%f, %f]", (k, n, low, high) => {
    const r = wilsonInterval(k / n, n);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it("is [0, 1] with no observations", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("exactMcNemar", () => {
  // By hand: p = min(1, 2 · Σ_{i≤min(b,c)} C(b+c, i) / 2^(b+c)).
  it.each([
    [9, 1, 22 / 1024], // 2·(1+10)/1024
    [1, 9, 22 / 1024], // symmetric
    [5, 0, 2 / 32],
    [6, 0, 2 / 64],
    [7, 2, 92 / 512], // 2·(1+9+36)/512
    [3, 3, 1], // 2·42/64 > 1, capped
    [0, 0, 1], // no discordant pairs
    [10, 0, 2 / 1024],
  ])("b=%i c=%i → p=%f", (b, c, p) => {
    expect(exactMcNemar(b, c)).toBeCloseTo(p, 12);
  });

  it("stays finite for large tables", () => {
    // 2·Σ_{i≤400} C(1000,i)/2^1000 ≈ 2.7e-10 (normal approximation z ≈ 6.3).
    const p = exactMcNemar(600, 400);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-8);
  });
});

describe("percentile", () => {
  it.each([
    [[], 50, 0],
    [[7], 95, 7],
    [[1, 2, 3, 4], 50, 2.5],
    [[10, 20, 30, 40, 50], 95, 48],
    [[50, 10, 40, 20, 30], 50, 30],
  ])("%j p%i = %f", (values, p, expected) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 10);
  });
});

describe("weightedRate", () => {
  it("equals the plain rate and Wilson interval with unit weights", () => {
    const outcomes = Array.from({ length: 20 }, (_, i) => ({ pass: i < 15, weight: 1 }));
    const r = weightedRate(outcomes);
    const w = wilsonInterval(0.75, 20);
    expect(r).toEqual({ rate: 0.75, low: w.low, high: w.high, n: 20, effective_n: 20 });
  });

  it("weights prompts and shrinks the effective sample size", () => {
    const r = weightedRate([
      { pass: true, weight: 3 },
      { pass: false, weight: 1 },
    ]);
    expect(r.rate).toBe(0.75);
    expect(r.effective_n).toBeCloseTo(16 / 10, 12); // (3+1)² / (9+1)
    expect(r.n).toBe(2);
  });
});

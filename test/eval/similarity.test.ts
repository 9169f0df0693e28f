import { describe, expect, it } from "vitest";
import { lcsLength, rougeL, tokenF1, wordTokens } from "../../src/eval/similarity.js";

describe("similarity metrics", () => {
  it("tokenises lower-cased runs of letters and digits", () => {
    expect(wordTokens("Zinc, a metal! Atomic number 30; Überall")).toEqual([
      "zinc",
      "a",
      "metal",
      "atomic",
      "number",
      "30",
      "überall",
    ]);
  });

  it.each([
    // answer, reference, token F1 (by hand), ROUGE-L F1 (by hand)
    ["the cat sat", "the cat sat", 1, 1],
    ["", "", 1, 1],
    ["cat", "", 0, 0],
    // overlap 2 of 3 / 2 of 4: P=2/3 R=1/2 → F1 = 4/7; LCS "the cat" = 2, same
    ["the cat sat", "the cat is here", 4 / 7, 4 / 7],
    // token F1 ignores order (overlap 3); LCS of [c b a] and [a b c] is 1: P=R=1/3
    ["c b a", "a b c", 1, 1 / 3],
    // multiset: "the the the" vs "the cat": overlap 1, P=1/3, R=1/2 → 0.4; LCS 1 → 0.4
    ["the the the", "the cat", 0.4, 0.4],
  ])("%j vs %j", (answer, reference, f1, rouge) => {
    expect(tokenF1(answer, reference)).toBeCloseTo(f1, 12);
    expect(rougeL(answer, reference)).toBeCloseTo(rouge, 12);
  });

  it("computes the longest common subsequence", () => {
    expect(lcsLength("ABCBDAB".split(""), "BDCABA".split(""))).toBe(4);
  });
});

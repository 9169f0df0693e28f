import type { TextMatch } from "../../core/pipeline.generated.js";

/** A `contains`-style value normalised: the needles and whether any or all must occur. */
export interface NormalisedMatch {
  needles: string[];
  mode: "any" | "all";
}

export function normaliseMatch(value: TextMatch): NormalisedMatch {
  if (typeof value === "string") return { needles: [value], mode: "any" };
  if (Array.isArray(value)) return { needles: [...value], mode: "any" };
  const needles = typeof value.value === "string" ? [value.value] : [...value.value];
  return { needles, mode: value.mode ?? "any" };
}

export function describeMatch(kind: string, value: TextMatch): string {
  const { needles, mode } = normaliseMatch(value);
  const list = needles.map((n) => JSON.stringify(n)).join(", ");
  return needles.length === 1 ? `${kind} ${list}` : `${kind} ${mode} of ${list}`;
}

/** Checks the needles against the answer; `fold` maps both sides first (identity, or lower-casing). */
export function matchText(value: TextMatch, answer: string, fold: (s: string) => string) {
  const { needles, mode } = normaliseMatch(value);
  const haystack = fold(answer);
  const found = needles.filter((n) => haystack.includes(fold(n)));
  const missing = needles.filter((n) => !haystack.includes(fold(n)));
  const pass = mode === "all" ? missing.length === 0 : found.length > 0;
  const reason = pass
    ? `found ${found.map((n) => JSON.stringify(n)).join(", ")}`
    : `missing ${missing.map((n) => JSON.stringify(n)).join(", ")}`;
  return { pass, reason };
}

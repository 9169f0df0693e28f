/**
 * Deterministic text similarity for the `similarity` grader. Both metrics work on word tokens: the text is
 * lower-cased and split into maximal runs of Unicode letters and digits (`/[\p{L}\p{N}]+/gu`), so punctuation and
 * whitespace only separate tokens. "Zinc, a metal!" → ["zinc", "a", "metal"].
 *
 * - token F1: multiset overlap. overlap = Σ_t min(count_answer(t), count_reference(t)); P = overlap/|answer|,
 *   R = overlap/|reference|, F1 = 2PR/(P+R).
 * - ROUGE-L F1: the longest common subsequence of the two token sequences. P = LCS/|answer|, R = LCS/|reference|,
 *   F1 = 2PR/(P+R) (β = 1).
 *
 * Two empty texts score 1; one empty text scores 0.
 */

export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function f1(overlap: number, answerLength: number, referenceLength: number): number {
  if (answerLength === 0 && referenceLength === 0) return 1;
  if (overlap === 0) return 0;
  const precision = overlap / answerLength;
  const recall = overlap / referenceLength;
  return (2 * precision * recall) / (precision + recall);
}

export function tokenF1(answer: string, reference: string): number {
  const a = wordTokens(answer);
  const r = wordTokens(reference);
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of a) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      overlap += 1;
      counts.set(t, left - 1);
    }
  }
  return f1(overlap, a.length, r.length);
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      curr[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, curr[j - 1]!);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

export function rougeL(answer: string, reference: string): number {
  const a = wordTokens(answer);
  const r = wordTokens(reference);
  return f1(lcsLength(a, r), a.length, r.length);
}

/** The `similarity` grader's metrics, by name. */
export const SIMILARITY_METRICS = { "rouge-l": rougeL, "token-f1": tokenF1 };

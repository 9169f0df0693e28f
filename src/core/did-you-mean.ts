/**
 * "Did you mean" suggestions by edit distance (optimal string alignment: insertions, deletions, substitutions and
 * swaps of neighbours each cost 1), so `validaton`, `vaildation` and `Validation` all find `validation`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The largest distance still worth suggesting: short words tolerate one typo, longer ones up to three. */
function tolerance(word: string): number {
  return word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
}

/** The closest candidate within tolerance (case-insensitive), or undefined. Ties go to the earlier candidate. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= tolerance(word) ? best : undefined;
}

/** A hint line: "did you mean `x`?" when a candidate is close, else the list of allowed values. */
export function suggestionHint(word: string, candidates: readonly string[], noun = "allowed keys"): string | undefined {
  const close = didYouMean(word, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (candidates.length === 0) return undefined;
  return `${noun}: ${candidates.map((c) => `\`${c}\``).join(", ")}`;
}

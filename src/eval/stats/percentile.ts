/**
 * The p-th percentile (0-100) by linear interpolation between closest ranks (the "R-7" / NumPy default method):
 * rank h = (n−1)·p/100, value = x⌊h⌋ + (h−⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). Zero for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

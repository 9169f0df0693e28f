/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), the interval recommended over the normal
 * ("Wald") one for small n and rates near 0 or 1:
 *
 *   centre = (p̂ + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
 *
 * with z = 1.959964 for 95%. `n` may be fractional (an effective sample size for weighted rates).
 */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export function wilsonInterval(rate: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

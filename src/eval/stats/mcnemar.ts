/**
 * Exact McNemar test for paired binary outcomes: of the n = b + c discordant pairs (one candidate passed, the other
 * failed), under the null hypothesis each is equally likely to go either way, so b ~ Binomial(n, ½). The two-sided
 * p-value is
 *
 *   p = min(1, 2 · Σ_{i=0}^{min(b,c)} C(n, i) / 2ⁿ)
 *
 * and p = 1 when there are no discordant pairs.
 */
export function exactMcNemar(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum the binomial probabilities in log space so that large n does not overflow.
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

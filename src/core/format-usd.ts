/** Dollars with cents, or two significant digits below a dollar: fine-tuning a small set costs fractions of a cent. */
export function formatUsd(usd: number): string {
  if (usd >= 1 || usd === 0) return `$${usd.toFixed(2)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

/** Dollars with cents, or two significant digits below a dollar: fine-tuning a small set costs fractions of a cent. */
export function formatUsd(usd: number): string {
  if (usd >= 1 || usd === 0) return `$${usd.toFixed(2)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

/** Dollars to six decimals, as costs are recorded: cents are too coarse for small runs (Elle costs a fraction of one). */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

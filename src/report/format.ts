/** Number formats shared by the Markdown, HTML and terminal reports, so the three always agree. */

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function interval(low: number, high: number): string {
  return `${pct(low)} – ${pct(high)}`;
}

export function pValue(p: number): string {
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}

/** A latency; "n/a" when none was measured (answers from a batch). */
export function ms(x: number | null): string {
  if (x === null) return "n/a";
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
}

export function usd(x: number | undefined): string {
  if (x === undefined) return "n/a";
  return x >= 1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`;
}

export function tokens(x: number): string {
  return x.toFixed(1);
}

/** Loss and accuracy values: three decimals. */
export function metric(x: number): string {
  return x.toFixed(3);
}

/** `key value` pairs sorted by key, values as JSON: the evaluation's parameters, the training's hyperparameters. */
export function keyValues(record: Record<string, unknown>): string {
  return Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(", ");
}

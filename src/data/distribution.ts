/** Summary of a list of per-example numbers. Quantiles interpolate linearly, like numpy's default. */
export interface Distribution {
  min: number;
  p10: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

/**
 * Collects one number per example in a growable typed array (4 bytes an example), so exact quantiles are
 * possible without keeping the examples.
 */
export class NumberColumn {
  private values = new Uint32Array(1024);
  private sum = 0;
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
    this.sum += value;
  }

  get total(): number {
    return this.sum;
  }

  summarize(): Distribution {
    if (this.length === 0) return { min: 0, p10: 0, median: 0, p90: 0, max: 0, mean: 0 };
    const sorted = this.values.slice(0, this.length).sort();
    return {
      min: sorted[0]!,
      p10: quantile(sorted, 0.1),
      median: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      max: sorted[sorted.length - 1]!,
      mean: round2(this.sum / this.length),
    };
  }
}

function quantile(sorted: Uint32Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return round2(sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

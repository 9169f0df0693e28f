/** Summary of a list of per-example numbers. Quantiles interpolate linearly, like numpy's default. */
export interface Distribution {
  min: number;
  p10: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

/** Values below this are counted in a dense table (256 KB); larger ones, rare, in a map. */
const DENSE_VALUES = 65_536;

/**
 * Collects one non-negative integer per example as a histogram, so exact quantiles are possible in memory that
 * does not grow with the number of examples (a column of 4 bytes per example reached tens of MB at a million
 * examples, and twice that while growing or sorting).
 */
export class NumberColumn {
  private dense: Uint32Array | undefined;
  private readonly sparse = new Map<number, number>();
  /** Sum of the values pushed. */
  total = 0;
  length = 0;

  push(value: number): void {
    const v = value >>> 0;
    if (v < DENSE_VALUES) {
      this.dense ??= new Uint32Array(DENSE_VALUES);
      this.dense[v]!++;
    } else {
      this.sparse.set(v, (this.sparse.get(v) ?? 0) + 1);
    }
    this.length++;
    this.total += value;
  }

  summarize(): Distribution {
    if (this.length === 0) return { min: 0, p10: 0, median: 0, p90: 0, max: 0, mean: 0 };
    const nth = this.orderStatistics();
    return {
      min: nth(0),
      p10: quantile(nth, this.length, 0.1),
      median: quantile(nth, this.length, 0.5),
      p90: quantile(nth, this.length, 0.9),
      max: nth(this.length - 1),
      mean: round2(this.total / this.length),
    };
  }

  /** The k-th smallest value (0-based), by walking the histogram's cumulative counts. */
  private orderStatistics(): (k: number) => number {
    const runs: [value: number, count: number][] = [];
    if (this.dense) for (let v = 0; v < DENSE_VALUES; v++) if (this.dense[v]! > 0) runs.push([v, this.dense[v]!]);
    for (const v of [...this.sparse.keys()].sort((a, b) => a - b)) runs.push([v, this.sparse.get(v)!]);
    return (k) => {
      let seen = 0;
      for (const [value, count] of runs) {
        seen += count;
        if (k < seen) return value;
      }
      return runs[runs.length - 1]![0];
    };
  }
}

function quantile(nth: (k: number) => number, length: number, q: number): number {
  const position = (length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, length - 1);
  const low = nth(lower);
  return round2(low + (nth(upper) - low) * (position - lower));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

import { type Random, seededRandom } from "../../core/prng.js";

/**
 * The seeded generator shared with the data transforms (mulberry32): training and sampling never read
 * Math.random. For integer seeds it is the same sequence the trainer always used.
 */
export type Rng = Random;

export function seededRng(seed: number): Rng {
  return seededRandom(seed);
}

/** Fisher-Yates shuffle of 0..n-1 driven by `rng`. */
export function shuffledIndices(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

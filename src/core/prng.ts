/**
 * A tiny seeded pseudo-random generator (mulberry32): fast, 32-bit state, good enough for shuffling and sampling,
 * and identical on every platform and Node version, so a seed names one order forever.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  // Any number is a valid seed: fold it into 32 bits so 42 and 42.0 agree and huge seeds do not all collapse to 0.
  let state = Number.isSafeInteger(seed) ? (seed % 0x1_0000_0000) >>> 0 : hashNumber(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

function hashNumber(n: number): number {
  const text = String(n);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A seeded permutation of 0..n-1 (Fisher-Yates). With `k` < n only the first k entries are drawn (a uniform
 * sample without replacement) and the result has length k.
 */
export function permutation(n: number, seed: number, k = n): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(seed);
  const draws = Math.min(k, n);
  for (let i = 0; i < draws; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return draws === n ? order : order.slice(0, draws);
}

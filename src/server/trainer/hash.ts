/**
 * Hashed keys for the model's sparse tables. A key packs two independent 32-bit hashes into one integer below
 * 2^53, so it is an exact JSON number and a fast Map key; collisions are possible but negligible at these sizes.
 */
export type Key = number;

function mix(h: number, x: number): number {
  let v = Math.imul(h ^ (x | 0), 0x9e3779b1);
  v ^= v >>> 16;
  v = Math.imul(v, 0x85ebca6b);
  return v ^ (v >>> 13);
}

/** The key of a sequence of small integers (a table id followed by context values). */
export function keyOf(a: number, b = 0, c = 0, d = 0, e = 0, f = 0): Key {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (const x of [a, b, c, d, e, f]) {
    h1 = mix(h1, x);
    h2 = mix(h2, x ^ 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** A 31-bit hash of a string, used to condition on the conversation's system message. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h & 0x7fffffff;
}

/**
 * Hashed keys for the model's sparse tables: 30-bit integers, so V8 keeps them unboxed (small integers) and Maps
 * stay fast. Collisions are possible (two contexts then share an entry, as in any hashed model); with a million
 * contexts in one table about 0.05% of them collide.
 */
export type Key = number;

function mix(h: number, x: number): number {
  let v = Math.imul(h ^ (x | 0), 0x9e3779b1);
  v ^= v >>> 16;
  v = Math.imul(v, 0x85ebca6b);
  return v ^ (v >>> 13);
}

/** The key of a sequence of small integers (a table id followed by context values). Unrolled: this is hot. */
export function keyOf(a: number, b = 0, c = 0, d = 0, e = 0, f = 0): Key {
  let h = mix(0x811c9dc5, a);
  h = mix(h, b);
  h = mix(h, c);
  h = mix(h, d);
  h = mix(h, e);
  h = mix(h, f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** A 31-bit hash of a string, used to condition on the conversation's system message. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h & 0x7fffffff;
}

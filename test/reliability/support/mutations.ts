import fc from "fast-check";

/**
 * Byte-level and structure-aware mutations of a valid input (issue 6's fuzzer): byte flips, truncation, inserted
 * and deleted ranges, key renames and type swaps. Each is a pure function of its drawn parameters, so fast-check
 * shrinks a failure to a small mutation of the seed input.
 */
export type Mutation =
  | { kind: "flip"; at: number; bits: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number }
  | { kind: "rename-key"; nth: number; name: string }
  | { kind: "swap-type"; nth: number; value: string };

/** Replacement values for a type swap: every YAML/JSON type, plus awkward strings and numbers. */
const SWAP_VALUES = [
  "[]",
  "{}",
  "[1, 2]",
  '{"a": 1}',
  "true",
  "null",
  "0",
  "-1",
  "1e400",
  '""',
  '"x"',
  "NaN",
  "~",
  "'\\u0000'",
];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant("rename-key" as const),
    nth: fc.nat(),
    name: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("role", "content", "messages", "weight", "model", "train"),
    ),
  }),
  fc.record({ kind: fc.constant("swap-type" as const), nth: fc.nat(), value: fc.constantFrom(...SWAP_VALUES) }),
);

/** Keys as they appear in YAML (`key:`) and JSON (`"key":`). */
const KEY = /"([A-Za-z_][\w-]*)"\s*:|^(\s*(?:- )?)([A-Za-z_][\w-]*):/gm;
/** Scalar values after a key. */
const VALUE = /(:\s*)("(?:[^"\\\n]|\\.)*"|[-\w.]+)/g;

function nthMatch(text: string, re: RegExp, nth: number): RegExpExecArray | undefined {
  const all = [...text.matchAll(re)];
  return all.length === 0 ? undefined : (all[nth % all.length] as RegExpExecArray);
}

export function applyMutation(input: Uint8Array, m: Mutation): Uint8Array {
  const bytes = Buffer.from(input);
  const at = bytes.length === 0 ? 0 : m.kind === "rename-key" || m.kind === "swap-type" ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case "flip": {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      const i = at % bytes.length;
      copy[i] = (copy[i] as number) ^ m.bits;
      return copy;
    }
    case "truncate":
      return bytes.subarray(0, at);
    case "insert":
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    case "delete":
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case "rename-key": {
      const text = bytes.toString("utf8");
      const hit = nthMatch(text, KEY, m.nth);
      if (!hit) return bytes;
      const replaced = hit[1] !== undefined ? `${JSON.stringify(m.name)}:` : `${hit[2]}${m.name}:`;
      return Buffer.from(text.slice(0, hit.index) + replaced + text.slice(hit.index + hit[0].length));
    }
    case "swap-type": {
      const text = bytes.toString("utf8");
      const hit = nthMatch(text, VALUE, m.nth);
      if (!hit) return bytes;
      return Buffer.from(`${text.slice(0, hit.index)}${hit[1]}${m.value}${text.slice(hit.index + hit[0].length)}`);
    }
  }
}

/** One to four mutations applied in turn. */
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

export function applyAll(input: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  return ms.reduce((bytes, m) => applyMutation(bytes, m), input);
}

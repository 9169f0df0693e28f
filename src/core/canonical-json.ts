import { createHash } from "node:crypto";

/**
 * Canonical JSON: object keys sorted (UTF-16 code unit order, as Array.prototype.sort), no whitespace, `undefined`
 * members dropped (as JSON.stringify does). Two values that mean the same thing serialize to the same bytes, whatever
 * order their keys were written in, so a fingerprint does not change when someone reorders a YAML mapping.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, new Set());
}

/** sha256 (hex) of a value's canonical JSON: a key for "the same request" or "the same example". */
export function canonicalSha256(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function serialize(value: unknown, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      // NaN and Infinity have no JSON form; letting them through as `null` would make distinct inputs collide.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalJson: cannot serialize a ${typeof value}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError("canonicalJson: circular structure");
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      // Arrays keep their order (it is meaningful); holes and undefined become null, as in JSON.
      return `[${obj.map((item) => (item === undefined ? "null" : serialize(item, seen))).join(",")}]`;
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(record[k], seen)}`).join(",")}}`;
  } finally {
    seen.delete(obj);
  }
}

/** Plain-English descriptions of schema alternatives and of values, for diagnostics. */

export type JsonSchema = Record<string, unknown>;
export type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

export function jsonType(v: unknown): JsonType {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  return "object";
}

/** The JSON types a schema accepts, or undefined when it says nothing about type. */
export function schemaTypes(s: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): Set<JsonType> | undefined {
  const r = resolve(s);
  if (typeof r.type === "string") return new Set([r.type as JsonType]);
  if (Array.isArray(r.type)) return new Set(r.type as JsonType[]);
  if ("const" in r) return new Set([jsonType(r.const)]);
  if (Array.isArray(r.enum)) return new Set(r.enum.map(jsonType));
  if (Array.isArray(r.oneOf)) {
    const all = new Set<JsonType>();
    for (const b of r.oneOf as JsonSchema[]) for (const t of schemaTypes(b, resolve) ?? []) all.add(t);
    return all;
  }
  if (r.properties || r.required) return new Set(["object"]);
  if (r.items) return new Set(["array"]);
  return undefined;
}

export function typeFits(t: JsonType, types: Set<JsonType> | undefined): boolean {
  return types === undefined || types.has(t) || (t === "integer" && types.has("number"));
}

function range(s: JsonSchema, noun: string): string {
  const lo = s.minimum as number | undefined;
  const hi = s.maximum as number | undefined;
  const xlo = s.exclusiveMinimum as number | undefined;
  const xhi = s.exclusiveMaximum as number | undefined;
  const parts: string[] = [];
  if (lo !== undefined && hi !== undefined) return `${noun} from ${lo} to ${hi}`;
  if (xlo !== undefined && hi !== undefined) return `${noun} greater than ${xlo} and at most ${hi}`;
  if (lo !== undefined) parts.push(`at least ${lo}`);
  if (xlo !== undefined) parts.push(`greater than ${xlo}`);
  if (hi !== undefined) parts.push(`at most ${hi}`);
  if (xhi !== undefined) parts.push(`less than ${xhi}`);
  return parts.length === 0 ? noun : `${noun} ${parts.join(" and ")}`;
}

/** "an integer from 1 to 50", "`auto`", "one of `a`, `b`", "a mapping with `few_shot`". */
export function describeSchema(s: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): string {
  const r = resolve(s);
  if ("const" in r) return `\`${String(r.const)}\``;
  if (Array.isArray(r.enum)) return `one of ${r.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  if (Array.isArray(r.oneOf)) return alternatives((r.oneOf as JsonSchema[]).map((b) => describeSchema(b, resolve)));
  switch (r.type) {
    case "integer":
      return range(r, "an integer");
    case "number":
      return range(r, "a number");
    case "string":
      return r.minLength === 1 ? "a non-empty string" : "a string";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object": {
      const required = (r.required as string[] | undefined) ?? [];
      return required.length === 1 ? `a mapping with \`${required[0]}\`` : "a mapping";
    }
    default:
      return "a value";
  }
}

/** "A", "A or B", "A, B or C". */
export function alternatives(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/** How a value reads in a message: `"text"`, `3`, `a list`, `a mapping`, `nothing`. */
export function describeValue(v: unknown): string {
  switch (jsonType(v)) {
    case "null":
      return "nothing";
    case "string": {
      const s = v as string;
      return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
    }
    case "array":
      return "a list";
    case "object":
      return "a mapping";
    default:
      return String(v);
  }
}

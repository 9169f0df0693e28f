/**
 * Constrained decoding: the model writes JSON that validates against a schema (structured outputs, tool-call
 * arguments). The schema decides the structure (braces, keys, commas), which is fed to the model as forced
 * tokens; the values are the model's own choices under the constraint of their type: a string is the model's own
 * tokens, with nothing that would need escaping; a number its own digit tokens; a boolean or an enum the option
 * the model finds most likely. So the output always parses and validates, and still comes from the model.
 */
import { advance, type Cursor, startCursor } from "./cursor.js";
import { indexOf } from "./retrieval.js";
import { seededRandom } from "../../core/prng.js";
import { Scorer } from "./scorer.js";
import { paramsOf } from "./snapshot.js";
import type { Params } from "./params.js";
import type { Tokenizer } from "./tokenizer.js";
import { tokenizerFor } from "./tokenizer.js";
import { conditionOf } from "./turns.js";
import type { ChatMessage, GenerateOptions, Generation, JsonSchema, ModelSnapshot } from "./types.js";

/** Most tokens in one string value: short values keep the whole answer within the token budget. */
const STRING_TOKENS = 12;
/** Most digit tokens in one number. */
const NUMBER_TOKENS = 3;

/** A schema feature this decoder cannot honour: the request is refused (400) rather than answered wrongly. */
export class UnsupportedSchema extends Error {}

export function generateJson(
  model: ModelSnapshot,
  messages: ChatMessage[],
  schema: JsonSchema,
  options: GenerateOptions,
): Generation {
  const writer = new Writer(paramsOf(model), messages, options);
  writer.value(schema, schema, 0);
  return { text: writer.text, finishReason: "stop" };
}

/** Checks that every part of `schema` is one this decoder honours; throws UnsupportedSchema naming the first other. */
export function checkSchema(schema: JsonSchema, root: JsonSchema = schema, at = "schema", depth = 0): void {
  if (depth > 16) throw new UnsupportedSchema(`${at}: nesting deeper than 16 levels`);
  const s = resolve(schema, root, at);
  for (const key of ["patternProperties", "not", "if", "then", "else", "dependentSchemas", "prefixItems"]) {
    if (key in s) throw new UnsupportedSchema(`${at}: '${key}' is not supported by the local provider`);
  }
  const variants = s.anyOf ?? s.oneOf;
  for (const [i, v] of (variants ?? []).entries()) checkSchema(v, root, `${at}.anyOf[${i}]`, depth + 1);
  for (const [k, v] of Object.entries(s.properties ?? {})) checkSchema(v, root, `${at}.properties.${k}`, depth + 1);
  if (s.items) checkSchema(s.items, root, `${at}.items`, depth + 1);
  const type = typeOf(s);
  if (type && !["object", "array", "string", "integer", "number", "boolean", "null"].includes(type)) {
    throw new UnsupportedSchema(`${at}: type '${type}' is not supported`);
  }
}

function resolve(schema: JsonSchema, root: JsonSchema, at: string): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref !== undefined; hops++) {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(s.$ref);
    const target = m ? root[m[1] as "$defs" | "definitions"]?.[m[2]!] : undefined;
    if (!target || hops > 32) throw new UnsupportedSchema(`${at}: cannot resolve $ref '${s.$ref}'`);
    s = target;
  }
  return s;
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== "null") ?? "null";
  return s.type;
}

/** Writes JSON token by token, feeding every token (forced or chosen) to the model's context. */
class Writer {
  text = "";
  private readonly tok: Tokenizer;
  private readonly cursor: Cursor;
  private readonly scorer: Scorer;
  private readonly rng: () => number;
  private readonly temperature: number;

  constructor(
    private readonly params: Params,
    messages: readonly ChatMessage[],
    options: GenerateOptions,
  ) {
    this.tok = tokenizerFor(params.encoding);
    this.cursor = startCursor(this.tok, conditionOf(this.tok, messages, indexOf(params.passages)));
    this.scorer = new Scorer(this.tok);
    this.rng = seededRandom(options.seed ?? 0);
    this.temperature = options.temperature ?? 0;
  }

  value(schema: JsonSchema, root: JsonSchema, depth: number): void {
    const s = resolve(schema, root, "schema");
    if (s.const !== undefined) {
      this.force(JSON.stringify(s.const));
      return;
    }
    if (s.enum) {
      this.force(JSON.stringify(this.pick(s.enum)));
      return;
    }
    const variants = s.anyOf ?? s.oneOf;
    if (variants) {
      // The first variant that is not just null: a nullable field gets a value.
      const chosen = variants.find((v) => typeOf(resolve(v, root, "schema")) !== "null") ?? variants[0]!;
      this.value(chosen, root, depth);
      return;
    }
    switch (typeOf(s) ?? (s.properties ? "object" : "string")) {
      case "object":
        this.object(s, root, depth);
        return;
      case "array": {
        const n = Math.min(Math.max(s.minItems ?? 1, 1), s.maxItems ?? 3);
        this.force("[");
        for (let i = 0; i < n; i++) {
          if (i > 0) this.force(", ");
          this.value(s.items ?? { type: "string" }, root, depth + 1);
        }
        this.force("]");
        return;
      }
      case "integer":
      case "number":
        this.force(this.number(s));
        return;
      case "boolean":
        this.force(this.pick([true, false]) ? "true" : "false");
        return;
      case "null":
        this.force("null");
        return;
      default:
        this.string();
        return;
    }
  }

  private object(s: JsonSchema, root: JsonSchema, depth: number): void {
    this.force("{");
    Object.entries(s.properties ?? {}).forEach(([key, sub], i) => {
      this.force(`${i > 0 ? ", " : ""}${JSON.stringify(key)}: `);
      this.value(sub, root, depth + 1);
    });
    this.force("}");
  }

  /** The model's own tokens, none of which would need escaping inside a JSON string. */
  private string(): void {
    this.force('"');
    const chosen = this.sample(STRING_TOKENS, (piece) => piece !== "" && !/["\\\u0000-\u001f\u007f]/.test(piece));
    this.text += chosen.trim();
    this.force('"');
  }

  /**
   * The model's own digit tokens; when it offers none at this point (a model trained on prose rarely does), the
   * smallest value the schema allows.
   */
  private number(s: JsonSchema): string {
    const chosen = this.sample(NUMBER_TOKENS, (piece) => /^\d+$/.test(piece));
    let n = chosen === "" ? 0 : Number(chosen);
    if (s.minimum !== undefined && n < s.minimum) n = s.minimum;
    if (s.maximum !== undefined && n > s.maximum) n = s.maximum;
    if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) n = Math.floor(s.exclusiveMinimum) + 1;
    return String(typeOf(s) === "integer" ? Math.trunc(n) : n);
  }

  /** The option whose first token the model finds most likely here. */
  private pick<T>(options: readonly T[]): T {
    this.scorer.run(this.params, this.cursor);
    let best: T = options[0] as T;
    let bestP = -1;
    for (const option of options) {
      const first = this.tok.encode(JSON.stringify(option).replace(/^"/, ""))[0];
      const p = first === undefined ? 0 : this.scorer.prob(first);
      if (p > bestP) {
        best = option;
        bestP = p;
      }
    }
    return best;
  }

  /** Up to `max` tokens the model chooses among those `allow` accepts; it may end earlier (its end-of-answer). */
  private sample(max: number, allow: (piece: string) => boolean): string {
    const out: number[] = [];
    for (let n = 0; n < max; n++) {
      this.scorer.run(this.params, this.cursor);
      const next = this.choose(out, allow);
      if (next === undefined) break;
      out.push(next);
      advance(this.tok, this.cursor, next);
    }
    return this.tok.decode(out);
  }

  private choose(out: readonly number[], allow: (piece: string) => boolean): number | undefined {
    const candidates: number[] = [];
    const weights: number[] = [];
    let endWeight = 0;
    for (let i = 0; i < this.scorer.count; i++) {
      const c = this.scorer.cand[i]!;
      if (c === this.tok.eos) {
        endWeight = this.scorer.probAt(i);
        continue;
      }
      if (c === this.tok.bos || out.includes(c) || !allow(this.tok.decode([c]))) continue;
      candidates.push(c);
      weights.push(this.scorer.probAt(i));
    }
    if (candidates.length === 0) return undefined;
    if (this.temperature <= 0) {
      let best = 0;
      for (let j = 1; j < candidates.length; j++) if (weights[j]! > weights[best]!) best = j;
      // The model would rather end here than go on with any allowed token: the value ends (not before one token).
      return out.length > 0 && endWeight > weights[best]! ? undefined : candidates[best];
    }
    const scaled = weights.map((w) => w ** (1 / this.temperature));
    let r = this.rng() * scaled.reduce((a, b) => a + b, 0);
    for (let j = 0; j < candidates.length; j++) {
      r -= scaled[j]!;
      if (r <= 0) return candidates[j];
    }
    return candidates[candidates.length - 1];
  }

  /** Structure the schema dictates: written, and fed to the model so the values that follow see it. */
  private force(text: string): void {
    for (const token of this.tok.encode(text)) advance(this.tok, this.cursor, token);
    this.text += text;
  }
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

const addFormats = addFormatsModule.default;

/**
 * The official OpenAI spec (3 MB, MIT), kept in the repository (test/fixtures/openai-openapi, with its source
 * commit) so that a fresh clone's `npm test` needs nothing beside it.
 */
export const OPENAPI_PATH = fileURLToPath(new URL("../fixtures/openai-openapi/openapi.yaml", import.meta.url));

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * The response schemas of openapi.yaml, compiled with ajv. The whole `components` section is added as one schema
 * document so every `#/components/schemas/...` reference resolves; `strict: false` lets ajv skip the OpenAPI-only
 * keywords (`x-oaiMeta`, `x-stainless-const`, `discriminator`, `example`, `deprecated`). The 3.0-style `nullable`
 * that the 3.1 spec still carries in a few places is rewritten to its 3.1 meaning first (see normalizeNullable).
 */
export class OpenApiResponses {
  private readonly ajv: Ajv;
  private readonly paths: { pattern: RegExp; template: string; ops: Record<string, Operation> }[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    const spec = parse(readFileSync(OPENAPI_PATH, "utf8"), { maxAliasCount: -1 }) as {
      paths: Record<string, Record<string, Operation>>;
      components: Record<string, unknown>;
    };
    this.ajv = new Ajv({ strict: false, allErrors: true, formats: { unixtime: true } });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: "openapi.json", components: normalizeNullable(spec.components) });
    this.paths = Object.entries(spec.paths).map(([template, ops]) => ({
      template,
      ops,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    }));
  }

  /**
   * The validator of the response schema that openapi.yaml declares for this method, path (after /v1), status and
   * content type; undefined when the spec declares none. Errors (status ≥ 400) use `ErrorResponse`.
   */
  validatorFor(
    method: string,
    path: string,
    status: number,
    contentType: string,
  ): { name: string; validate: ValidateFunction } | undefined {
    if (status >= 400) return this.named("#/components/schemas/ErrorResponse");
    const entry = this.paths.find((p) => p.pattern.test(path));
    const op = entry?.ops[method.toLowerCase()];
    const content = op?.responses?.[String(status)]?.content;
    if (!content || !entry) return undefined;
    const media = contentType.startsWith("text/event-stream") ? "text/event-stream" : "application/json";
    const schema = (content[media] ?? content["application/json"])?.schema as { $ref?: string } | undefined;
    if (!schema) return undefined;
    if (schema.$ref) return this.named(schema.$ref);
    const key = `${method} ${entry.template} ${media}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return { name: `${key} (inline)`, validate };
  }

  named(ref: string): { name: string; validate: ValidateFunction } {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json${ref}` });
      this.compiled.set(ref, validate);
    }
    return { name: ref.replace("#/components/schemas/", ""), validate };
  }
}

/**
 * Rewrites OpenAPI 3.0 `nullable: true` into JSON Schema: `{type: T, nullable: true}` becomes `type: [T, "null"]`,
 * and a schema without `type` (e.g. `allOf: [{$ref: File}, {nullable: true}]`, as in `Upload.file`) becomes
 * `anyOf: [<the schema>, {type: "null"}]`. Ajv rejects `nullable` without `type`, so this is needed to load the spec.
 * Also turns 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` into their numeric 3.1 form.
 */
export function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalizeNullable(v);
  if (Array.isArray(out.allOf)) {
    const parts = out.allOf as Record<string, unknown>[];
    const nullableOnly = parts.filter((p) => p.nullable === true && Object.keys(p).length === 1);
    if (nullableOnly.length > 0) {
      out.allOf = parts.filter((p) => !nullableOnly.includes(p));
      out.nullable = true;
    }
  }
  // 3.0 boolean exclusive bounds (e.g. learning_rate_multiplier `minimum: 0, exclusiveMinimum: true`).
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] === "boolean") {
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  if (out.nullable !== true) return out;
  delete out.nullable;
  // In 3.0, `nullable` also admits null past an `enum` (e.g. a stream chunk's `finish_reason: null`).
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}

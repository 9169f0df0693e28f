import type { Ajv, ValidateFunction } from "ajv";
import { runtimeAjv } from "../../config/precompiled-validator.js";
import { canonicalJson } from "../../core/canonical-json.js";
import { excerpt, type Grader } from "./types.js";

// One compiler for all json graders, created on the first schema (ajv is not loaded by runs that grade none);
// compiled schemas are kept by their canonical text so that a schema used on every prompt is compiled once.
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | string>();

function validatorFor(schema: object): ValidateFunction | string {
  const key = canonicalJson(schema);
  let v = compiled.get(key);
  if (v === undefined) {
    try {
      ajv ??= runtimeAjv({ allErrors: true, strict: false }, true);
      v = ajv.compile(schema);
    } catch (err) {
      v = `invalid JSON Schema: ${(err as Error).message}`;
    }
    compiled.set(key, v);
  }
  return v;
}

/** The answer (trimmed) parses as JSON; with `schema`, it also validates against that JSON Schema. */
export const jsonGrader: Grader<"json"> = {
  negatable: false,
  describe: (value) => (typeof value === "object" && value.schema ? "json matching schema" : "json"),
  grade(value, answer) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.trim());
    } catch {
      // The parser's message differs between Node versions; the answer itself says more.
      return { pass: false, reason: `not JSON: ${excerpt(answer)}` };
    }
    // `json: false` asks for nothing beyond being graded; treat it as "must not be JSON" would surprise, so it passes.
    if (typeof value !== "object" || !value.schema) return { pass: true, reason: "parses as JSON" };
    const validate = validatorFor(value.schema);
    if (typeof validate === "string") return { pass: false, error: true, reason: validate };
    if (validate(parsed)) return { pass: true, reason: "parses and matches the schema" };
    const errors = (validate.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
      .join("; ");
    return { pass: false, reason: `schema: ${errors}` };
  },
};

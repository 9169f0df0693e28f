import { readFile } from "node:fs/promises";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
import {
  alternatives,
  describeSchema,
  describeValue,
  type JsonSchema,
  jsonType,
  schemaTypes,
  typeFits,
} from "./describe-schema.js";
import { suggestionHint } from "../core/did-you-mean.js";
import { loadPrecompiledValidator, runtimeAjv } from "./precompiled-validator.js";
import { hintField, keywordProblem, type SchemaProblem } from "./schema-keyword-errors.js";
import { displayPath, pointerToPath } from "./yaml-locate.js";

/** The pipeline schema as shipped in schemas/ (the same path from src/config and dist/config). */
export const PIPELINE_SCHEMA_URL = new URL("../../schemas/pipeline.schema.json", import.meta.url);

/**
 * ajv options for the pipeline schema; scripts/compile-validators.mjs precompiles with the same ones.
 * verbose: errors carry the failing data and schema, which the oneOf handling below needs.
 */
export const PIPELINE_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: false };

/** Where `npm run build` puts the precompiled validator (exists next to dist/config/ only). */
const PRECOMPILED_URL = new URL("./pipeline-validator.generated.cjs", import.meta.url);

interface Compiled {
  root: JsonSchema;
  validate: ValidateFunction;
  /** Created on first use: only explaining a oneOf error compiles more (branch validators). */
  ajv: () => Ajv;
  branches: WeakMap<object, ValidateFunction>;
}

let compiled: Promise<Compiled> | undefined;

function compile(): Promise<Compiled> {
  compiled ??= readFile(PIPELINE_SCHEMA_URL, "utf8").then((text) => {
    const root = JSON.parse(text) as JsonSchema;
    let ajv: Ajv | undefined;
    const lazyAjv = () => {
      ajv ??= runtimeAjv(PIPELINE_AJV_OPTIONS, false);
      return ajv;
    };
    // The precompiled validator skips ajv's code generation, the largest cost of a fresh start.
    const validate = loadPrecompiledValidator(PRECOMPILED_URL, text) ?? lazyAjv().compile(root);
    return { root, validate, ajv: lazyAjv, branches: new WeakMap() };
  });
  return compiled;
}

/** Validates a pipeline value against the schema; one clear problem per mistake (oneOf noise collapsed). */
export async function validateAgainstSchema(value: unknown): Promise<SchemaProblem[]> {
  const c = await compile();
  c.validate(value);
  return dropExplainedMissingKeys(mapErrors(c, [...(c.validate.errors ?? [])], []));
}

/** `{pth: x}` is one mistake: the unknown `pth` (did you mean `path`?) already explains the missing `path`. */
function dropExplainedMissingKeys(problems: SchemaProblem[]): SchemaProblem[] {
  const explained = new Set(
    problems
      .filter((p) => p.diagnostic.code === "unknown-key" && p.suggestion !== undefined)
      .map((p) => JSON.stringify([...p.path.slice(0, -1).map(String), p.suggestion])),
  );
  return problems.filter(
    (p) => !(p.missing !== undefined && explained.has(JSON.stringify([...p.path.map(String), p.missing]))),
  );
}

function resolveRef(c: Compiled, s: JsonSchema): JsonSchema {
  let r = s;
  for (let i = 0; i < 10 && typeof r.$ref === "string"; i++) {
    const name = (r.$ref as string).replace(/^#\/definitions\//, "");
    r = ((c.root.definitions as Record<string, JsonSchema>)[name] ?? {}) as JsonSchema;
  }
  return r;
}

function branchValidator(c: Compiled, branch: JsonSchema): ValidateFunction {
  let v = c.branches.get(branch);
  if (!v) {
    // A branch may $ref the root's definitions, so it is compiled together with them.
    v = c.ajv().compile({ ...resolveRef(c, branch), definitions: c.root.definitions });
    c.branches.set(branch, v);
  }
  return v;
}

function isAtOrUnder(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

function mapErrors(c: Compiled, errors: ErrorObject[], base: (string | number)[]): SchemaProblem[] {
  const oneOfs = errors.filter((e) => e.keyword === "oneOf");
  const outer: ErrorObject[] = [];
  for (const e of oneOfs) {
    const nested = oneOfs.some(
      (o) => o !== e && o.instancePath !== e.instancePath && isAtOrUnder(e.instancePath, o.instancePath),
    );
    if (!nested && !outer.some((o) => o.instancePath === e.instancePath)) outer.push(e);
  }
  const rest = errors.filter((e) => !outer.some((o) => isAtOrUnder(e.instancePath, o.instancePath)));
  const typed = new Set(rest.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const problems: SchemaProblem[] = [];
  for (const e of rest) {
    // A wrong type makes every other complaint about the same value noise.
    if (typed.has(e.instancePath) && e.keyword !== "type") continue;
    problems.push(keywordProblem((s) => resolveRef(c, s), e, base));
  }
  for (const e of outer) problems.push(...oneOfProblems(c, e, base));
  return problems;
}

function oneOfProblems(c: Compiled, e: ErrorObject, base: (string | number)[]): SchemaProblem[] {
  const path = [...base, ...pointerToPath(e.instancePath)];
  const schema = e.parentSchema as JsonSchema;
  const branches = (schema.oneOf as JsonSchema[]) ?? [];
  const data = e.data;
  const t = jsonType(data);
  const resolve = (s: JsonSchema) => resolveRef(c, s);
  const fits = branches.filter((b) => typeFits(t, schemaTypes(b, resolve)));
  const describe = () => alternatives(branches.map((b) => describeSchema(b, resolve)));
  const where = `\`${displayPath(path)}\``;
  const mustBe = () => `${where} must be ${describe()}, not ${describeValue(data)}`;
  const problem = (code: "invalid-type" | "invalid-value" | "missing-key", message: string, hint?: string) => ({
    path,
    atKey: false,
    diagnostic: { severity: "error" as const, code, message, ...hintField(hint) },
  });
  if (fits.length === 0) return [problem("invalid-type", mustBe())];
  let chosen: JsonSchema | undefined = fits.length === 1 ? fits[0] : undefined;
  if (!chosen && t === "object") {
    const keys = Object.keys(data as object);
    // Keys of two different forms at once, e.g. `{ limit: 3, dedupe: exact }` in one transform.
    const named = fits
      .map((b) => (resolve(b).required as string[] | undefined) ?? [])
      .filter((req) => req.length > 0 && req.every((k) => keys.includes(k)));
    if (named.length > 1) {
      const which = named.map((req) => `\`${req[0]}\``);
      return [
        problem(
          "invalid-value",
          `${where} combines ${alternatives(which).replace(" or ", " and ")}, which are alternatives`,
          "keep one of them; in a list, give each its own item",
        ),
      ];
    }
    const score = (b: JsonSchema) => {
      const r = resolve(b);
      const props = Object.keys((r.properties as object) ?? {});
      const required = (r.required as string[]) ?? [];
      const hasRequired = required.length > 0 && required.every((k) => keys.includes(k));
      return (hasRequired ? 1000 : 0) + keys.filter((k) => props.includes(k)).length;
    };
    const scored = fits.map((b) => ({ b, s: score(b) })).sort((x, y) => y.s - x.s);
    if (scored[0] && scored[0].s > 0) chosen = scored[0].b;
    else {
      // Nothing recognisable: the mapping names none of the forms, e.g. a misspelt transform `dedup: exact`.
      const names = [...new Set(fits.flatMap((b) => ((resolve(b).required as string[]) ?? []).slice(0, 1)))];
      if (keys.length === 0) {
        return [
          problem("missing-key", `${where} is empty; expected one of ${names.map((n) => `\`${n}\``).join(", ")}`),
        ];
      }
      return keys.map((k) => ({
        path: [...path, k],
        atKey: true,
        diagnostic: {
          severity: "error" as const,
          code: "unknown-key",
          message: `unknown key \`${k}\` in ${where}`,
          ...hintField(suggestionHint(k, names)),
        },
      }));
    }
  }
  if (!chosen && t === "array") chosen = fits[0];
  if (!chosen) return [problem("invalid-value", mustBe())];
  const v = branchValidator(c, chosen);
  v(data);
  if (!v.errors || v.errors.length === 0) {
    return [problem("invalid-value", `${where} matches more than one of: ${describe()}`)];
  }
  const problems = mapErrors(c, [...v.errors], path);
  // For a scalar, "must be `auto`" would hide the other forms (`n_epochs: three`): name them all instead.
  if (t !== "object" && t !== "array" && problems.every((p) => p.path.length === path.length)) {
    return problems.map((p) => ({
      ...p,
      diagnostic: { ...p.diagnostic, message: mustBe() },
    }));
  }
  return problems;
}

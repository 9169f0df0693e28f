import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv, Options, ValidateFunction } from "ajv";

// createRequire: the generated validators are CommonJS so the synchronous lockfile parser can load them, and
// ajv itself is CommonJS, so requiring it lazily keeps it off the start-up path when a validator is precompiled.
const require = createRequire(import.meta.url);

type GeneratedModule = ValidateFunction & { schemaSha256?: string };

/**
 * The validator precompiled by scripts/compile-validators.mjs (`npm run build`) at `moduleUrl`, or undefined
 * when there is none (running from src/) or it was generated from a different schema text than `schemaText`.
 */
export function loadPrecompiledValidator(moduleUrl: URL, schemaText: string): ValidateFunction | undefined {
  const file = fileURLToPath(moduleUrl);
  if (!existsSync(file)) return undefined;
  const generated = require(file) as GeneratedModule;
  const hash = createHash("sha256").update(schemaText).digest("hex");
  return generated.schemaSha256 === hash ? generated : undefined;
}

/**
 * A fresh ajv instance, loaded on first use only: compiling schemas at run time is the slow path (fallback
 * when not built, and the pipeline schema's per-branch validators, needed only to explain an error).
 * `formats` adds ajv-formats (date-time, uri, ...).
 */
export function runtimeAjv(options: Options, formats: boolean): Ajv {
  const { Ajv: AjvClass } = require("ajv") as typeof import("ajv");
  const ajv = new AjvClass(options);
  if (formats) (require("ajv-formats") as typeof import("ajv-formats")).default(ajv);
  return ajv;
}

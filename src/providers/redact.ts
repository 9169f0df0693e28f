import type { Env } from "../core/env.js";
import type { Pipeline } from "../core/pipeline.generated.js";

/** Turns any text that may echo a request (error messages, response bodies) into text safe to record or print. */
export type Redactor = (text: string) => string;

/** Environment variable names whose values are treated as secrets wherever they appear. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)/i;

/** Shorter values are too likely to occur by chance (e.g. "1", "true") and are not worth hiding. */
const MIN_SECRET_LENGTH = 8;

/**
 * Header-shaped and key-shaped fragments that are secrets whatever their origin: an SDK error or a proxy may echo
 * the request's `Authorization: Bearer ...` or Azure's `api-key: ...` header.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi,
  /(api[-_]key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /()\bsk-[A-Za-z0-9_-]{16,}/g,
];

const MASK = "[redacted]";

/**
 * Hides the values of secret-looking environment variables and of the variables the pipeline names in
 * `api_key_env` (a key may live in `ACME_AUTH`, which no name rule would catch), and header- or key-shaped text.
 */
export function makeRedactor(env: Env, pipeline: Pipeline): Redactor {
  const keyVariables = new Set(keyVariablesOf(pipeline));
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && (SECRET_NAME.test(name) || keyVariables.has(name))) {
      secrets.add(value);
    }
  }
  // Longest first, so a secret that contains another is hidden whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of ordered) out = out.split(secret).join(MASK);
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, (_m, prefix: string) => `${prefix ?? ""}${MASK}`);
    return out;
  };
}

/** The `api_key_env` names of the pipeline's provider and of evaluation candidates with their own provider. */
function keyVariablesOf(pipeline: Pipeline): string[] {
  const settings = [
    pipeline.provider,
    ...(pipeline.evaluation?.candidates ?? []).map((c) =>
      typeof c === "object" && "provider" in c ? c.provider : undefined,
    ),
  ];
  return settings.flatMap((s) => (typeof s === "object" && s.api_key_env ? [s.api_key_env] : []));
}

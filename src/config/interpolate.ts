import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Env } from "../core/env.js";
import { displayPath, type ValuePath } from "./yaml-locate.js";

/** `${env:NAME}`: the only interpolation in a pipeline. */
const ENV_REF = /\$\{env:([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Where `${env:NAME}` may appear. Everything else in a pipeline ends up in the lockfile, the fingerprints or the
 * reports, so a value read from the environment there could leak a secret into a committed file. These are
 * connection settings and model names, which differ between machines and are safe to record.
 */
const ALLOWED: readonly RegExp[] = [
  /^provider\.(base_url|endpoint|api_version|organization|project|state_dir)$/,
  /^provider\.deployments\..+$/,
  /^model$/,
  /^training\.fine_tuned_model$/,
  /^evaluation\.judge\.model$/,
  /^deploy\.azure\.[a-z_]+$/,
];

/** Variable names that hold secrets by convention; those go through `provider.api_key_env`, never a value. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** A problem found while interpolating, located by the loader (which knows the YAML nodes). */
export interface InterpolationProblem {
  path: ValuePath;
  /** The `${env:...}` text, to underline it inside the scalar. */
  needle: string;
  diagnostic: Omit<Diagnostic, "span">;
}

/** Replaces `${env:NAME}` in every string of `value`, returning the new value and the problems found. */
export function interpolateEnv(value: unknown, env: Env): { value: unknown; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === "string") return interpolateString(v, path, env, problems);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, []), problems };
}

function interpolateString(text: string, path: (string | number)[], env: Env, problems: InterpolationProblem[]) {
  if (!text.includes("${env:")) return text;
  const dotted = path.map(String).join(".");
  const allowed = ALLOWED.some((re) => re.test(dotted));
  return text.replace(ENV_REF, (needle, name: string) => {
    const fail = (code: DiagnosticCode, message: string, hint?: string) => {
      problems.push({ path, needle, diagnostic: { severity: "error", code, message, ...(hint ? { hint } : {}) } });
      return needle;
    };
    if (!allowed) {
      return fail(
        "env-not-allowed",
        `\`\${env:...}\` is not allowed in \`${displayPath(path)}\``,
        "only provider settings, model names and deploy.azure read the environment; other values are recorded in the lockfile and reports",
      );
    }
    if (!ENV_NAME.test(name)) return fail("invalid-env-name", `\`${name}\` is not an environment variable name`);
    if (SECRET_NAME.test(name)) {
      return fail(
        "env-secret",
        `\`${name}\` looks like a secret; it would be recorded with \`${displayPath(path)}\``,
        "name the variable with `provider.api_key_env` instead; secrets are read from the environment at run time",
      );
    }
    return (
      env[name] ??
      fail(
        "unset-env",
        `environment variable \`${name}\` is not set`,
        `set it, e.g. \`export ${name}=...\`, or write the value in the pipeline`,
      )
    );
  });
}

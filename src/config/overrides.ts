import { parse as parseYamlValue } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Name of the pseudo-file that holds the `-S` overrides, one per line, so diagnostics can point into them. */
export const OVERRIDES_FILE = "<-S overrides>";

export interface ParsedOverride {
  /** `training.hyperparameters.n_epochs` as written. */
  key: string;
  path: (string | number)[];
  value: unknown;
  /** 1-based line in {@link OVERRIDES_FILE}. */
  line: number;
  /** 1-based column where the value starts. */
  valueCol: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.([A-Za-z_][A-Za-z0-9_-]*|\d+))*$/;

/**
 * Parses `-S key.path=value` overrides. The value is YAML, so `3`, `true`, `auto` and `[a, b]` mean what they
 * would mean in the file. Array elements are addressed by index (`dataset.transforms.0.limit=10`).
 */
export function parseOverrides(raw: readonly string[]): { overrides: ParsedOverride[]; diagnostics: Diagnostic[] } {
  const overrides: ParsedOverride[] = [];
  const diagnostics: Diagnostic[] = [];
  raw.forEach((text, i) => {
    const line = i + 1;
    const eq = text.indexOf("=");
    const key = eq === -1 ? text : text.slice(0, eq);
    if (eq === -1 || !KEY.test(key)) {
      diagnostics.push({
        severity: "error",
        code: "invalid-override",
        message: eq === -1 ? `\`-S ${text}\` has no \`=\`` : `\`${key}\` is not a key path`,
        span: { file: OVERRIDES_FILE, line, col: 1, endCol: (eq === -1 ? text.length : eq) + 1 },
        hint: "write -S key.path=value, e.g. -S training.hyperparameters.n_epochs=5",
      });
      return;
    }
    let value: unknown;
    try {
      value = parseYamlValue(text.slice(eq + 1));
    } catch (err) {
      diagnostics.push({
        severity: "error",
        code: "invalid-override",
        message: `the value of \`${key}\` is not valid YAML: ${(err as Error).message.split("\n")[0]}`,
        span: { file: OVERRIDES_FILE, line, col: eq + 2, endCol: text.length + 1 },
      });
      return;
    }
    const path = key.split(".").map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
    overrides.push({ key, path, value: value ?? null, line, valueCol: eq + 2 });
  });
  return { overrides, diagnostics };
}

/** Applies overrides in order to a copy of `config`, creating intermediate objects as needed. */
export function applyOverrides(config: unknown, overrides: readonly ParsedOverride[]): unknown {
  const root: unknown = structuredClone(config ?? {});
  for (const o of overrides) {
    let node = root as Record<string | number, unknown>;
    o.path.forEach((seg, i) => {
      if (i === o.path.length - 1) {
        node[seg] = o.value;
        return;
      }
      const next = node[seg];
      if (next === null || typeof next !== "object") node[seg] = typeof o.path[i + 1] === "number" ? [] : {};
      node = node[seg] as Record<string | number, unknown>;
    });
  }
  return root;
}

/** The overrides whose key path is a prefix of `path` (the last one wins), to point diagnostics at them. */
export function overrideCovering(path: readonly (string | number)[], overrides: readonly ParsedOverride[]) {
  let found: ParsedOverride | undefined;
  for (const o of overrides) {
    if (o.path.length <= path.length && o.path.every((seg, i) => String(seg) === String(path[i]))) found = o;
  }
  return found;
}

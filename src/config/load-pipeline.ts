import path from "node:path";
import { isMap } from "yaml";
import { displayPathOf } from "../core/display-path.js";
import { type Diagnostic, hasErrors, type SourceSpan } from "../diagnostics/diagnostic.js";
import type { Env } from "../core/env.js";
import { interpolateEnv } from "./interpolate.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { applyOverrides, OVERRIDES_FILE, overrideCovering, type ParsedOverride, parseOverrides } from "./overrides.js";
import { type ParsedYaml, parseYaml } from "./parse-yaml.js";
import { pipelinePaths, projectRoot } from "./paths.js";
import type { Pipeline } from "../core/pipeline.generated.js";
import { readUserText } from "./read-text.js";
import { providerKind } from "./rules/context.js";
import { type Locator, type Rule, runConfigRules } from "./rules/index.js";
import { validateAgainstSchema } from "./validate-schema.js";
import { locate, spanOfNode, spanOfRange, type ValuePath } from "./yaml-locate.js";

export interface LoadOptions {
  /** The working directory: the project root, and the base for displayed paths. */
  cwd: string;
  /** The environment, for `${env:NAME}`. */
  env: Env;
  /** `-S key.path=value` overrides, applied in order before validation. Default: none. */
  overrides?: string[];
  /**
   * `--provider`, when given and a known kind: the provider the rules check the pipeline against instead of its
   * `provider:`. Default: the pipeline's own.
   */
  providerFlag?: string;
}

/**
 * The outcome of loading. `sources` maps each displayed file name (and the `-S` pseudo-file) to its text, so the
 * caller can render the diagnostics with source excerpts.
 */
export type LoadResult =
  | { ok: true; pipeline: LoadedPipeline; warnings: Diagnostic[]; sources: Map<string, string> }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

/**
 * Loads a pipeline file: reads it, parses the YAML, resolves `${env:NAME}`, applies `-S` overrides, validates
 * against schemas/pipeline.schema.json and runs the model and split rules, then `extraRules` (the data-file
 * checks, which src/pipeline/load.ts passes because config may not read data). Every problem found is returned
 * together, each with its line and column; it never throws for bad input.
 */
export async function loadPipelineWith(file: string, opts: LoadOptions, extraRules: Rule[]): Promise<LoadResult> {
  const abs = path.resolve(opts.cwd, file);
  const display = displayPathOf(abs, opts.cwd);
  const sources = new Map<string, string>();
  const rawOverrides = opts.overrides ?? [];
  if (rawOverrides.length > 0) sources.set(OVERRIDES_FILE, rawOverrides.join("\n"));
  const parsedOverrides = parseOverrides(rawOverrides);

  const read = await readUserText(abs, display);
  if (read.text !== undefined) sources.set(display, read.text);
  if (!read.ok) return fail([...read.diagnostics, ...parsedOverrides.diagnostics], sources);
  const diagnostics: Diagnostic[] = [...read.warnings, ...parsedOverrides.diagnostics];

  const parsed = parseYaml(read.text, display);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.value === undefined) return fail(diagnostics, sources);
  if (parsed.doc.contents === null) {
    diagnostics.push({
      severity: "error",
      code: "empty-file",
      message: `${display} has only comments, no pipeline`,
      hint: "`tunefile init` writes a starter pipeline",
    });
    return fail(diagnostics, sources);
  }
  if (!isMap(parsed.doc.contents) || typeof parsed.value !== "object" || parsed.value === null) {
    diagnostics.push({
      severity: "error",
      code: "invalid-type",
      message: "a pipeline is a YAML mapping of keys to values (version, name, model, dataset, ...)",
      span: spanOfNode(parsed.doc.contents ?? undefined, display, parsed.lines),
      hint: "`tunefile init` writes a starter pipeline",
    });
    return fail(diagnostics, sources);
  }

  const locator = makeLocator(parsed, display, read.text, parsedOverrides.overrides, rawOverrides);
  const interpolated = interpolateEnv(parsed.value, opts.env);
  // A value whose `${env:...}` could not be resolved is wrong for that reason alone; the schema and the rules
  // would only repeat it in other words (e.g. "unknown model `${env:MODEL}`"), so those are dropped.
  const envValues = new Set<string>();
  for (const p of interpolated.problems) {
    diagnostics.push({ ...p.diagnostic, span: locator.span(p.path, { needle: p.needle }) });
    envValues.add(spanKey(locator.span(p.path)));
  }
  const value = applyOverrides(interpolated.value, parsedOverrides.overrides) as Record<string, unknown>;

  const later: Diagnostic[] = [];
  for (const p of await validateAgainstSchema(value)) {
    later.push({ ...p.diagnostic, span: locator.span(p.path, { atKey: p.atKey }) });
  }
  const kind = opts.providerFlag ?? providerKind(value);
  const ctx = { value, kind, dir: path.dirname(abs), cwd: opts.cwd, locate: locator };
  later.push(...(await runConfigRules(ctx)));
  for (const rule of extraRules) later.push(...(await rule(ctx)));
  diagnostics.push(...later.filter((d) => !(d.span && envValues.has(spanKey(d.span)))));

  const sorted = sortDiagnostics(dedupe(diagnostics), display);
  if (hasErrors(sorted)) return fail(sorted, sources);
  const config = value as unknown as Pipeline;
  const overrides = Object.fromEntries(parsedOverrides.overrides.map((o) => [o.key, o.value]));
  return {
    ok: true,
    pipeline: {
      config,
      paths: pipelinePaths(abs, { file: display, base: opts.cwd }, await projectRoot(abs, opts.cwd), config.name),
      overrides,
    },
    warnings: sorted,
    sources,
  };
}

function fail(diagnostics: Diagnostic[], sources: Map<string, string>): LoadResult {
  return { ok: false, diagnostics, sources };
}

function makeLocator(
  parsed: ParsedYaml,
  display: string,
  text: string,
  overrides: readonly ParsedOverride[],
  rawOverrides: readonly string[],
): Locator {
  return {
    span(valuePath: ValuePath, options = {}): SourceSpan {
      const override = overrideCovering(valuePath, overrides);
      if (override) {
        const raw = rawOverrides[override.line - 1] ?? "";
        return options.atKey
          ? { file: OVERRIDES_FILE, line: override.line, col: 1, endCol: override.valueCol - 1 }
          : { file: OVERRIDES_FILE, line: override.line, col: override.valueCol, endCol: raw.length + 1 };
      }
      const found = locate(parsed.doc, valuePath);
      const node = found.exact && options.atKey && found.key ? found.key : (found.node ?? found.key);
      if (found.exact && options.needle && node?.range) {
        const at = text.indexOf(options.needle, node.range[0]);
        if (at !== -1 && at < node.range[1])
          return spanOfRange([at, at + options.needle.length], display, parsed.lines);
      }
      if (!found.exact && found.key) return spanOfNode(found.key, display, parsed.lines);
      return spanOfNode(node, display, parsed.lines);
    },
  };
}

function spanKey(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.col}`;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.span?.file, d.span?.line, d.span?.col]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Unlocated first, then the pipeline file in reading order, then the `-S` overrides. Stable otherwise. */
function sortDiagnostics(diagnostics: Diagnostic[], display: string): Diagnostic[] {
  const rank = (d: Diagnostic) => (!d.span ? 0 : d.span.file === display ? 1 : 2);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        rank(a.d) - rank(b.d) ||
        (a.d.span?.line ?? 0) - (b.d.span?.line ?? 0) ||
        (a.d.span?.col ?? 0) - (b.d.span?.col ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.d);
}

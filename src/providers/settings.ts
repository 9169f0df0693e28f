import type { Pipeline, ProviderKind, ProviderSettings } from "../core/pipeline.generated.js";
import type { ProviderKindName } from "./provider.js";

/** Where the chosen kind came from, for the explanation line. */
export type KindSource = { from: "flag" } | { from: "pipeline" } | { from: "auto"; openaiKeySet: boolean };

export interface ChosenKind {
  kind: ProviderKindName;
  source: KindSource;
  /** The pipeline's provider settings, when they apply to the chosen kind (same kind, or written for auto). */
  settings: ProviderSettings;
}

/** The pipeline's `provider:` as settings: a bare kind name becomes `{ kind }`; absent means auto. */
export function pipelineProviderSettings(config: Pipeline): ProviderSettings {
  const p = config.provider;
  if (p === undefined) return { kind: "auto" };
  return typeof p === "string" ? { kind: p } : p;
}

/**
 * The kind to use: `--provider` wins over the pipeline; `auto` is openai when OPENAI_API_KEY is set, else local.
 * Settings written for another kind are dropped, so an Azure endpoint never leaks into a local run.
 */
export function chooseKind(
  pipeline: ProviderSettings,
  flag: ProviderKind | undefined,
  openaiKeySet: boolean,
): ChosenKind {
  const requested: ProviderKind = flag ?? pipeline.kind;
  const kind: ProviderKindName = requested === "auto" ? (openaiKeySet ? "openai" : "local") : requested;
  const applies = pipeline.kind === kind || pipeline.kind === "auto";
  const settings: ProviderSettings = applies ? { ...pipeline, kind } : { kind };
  const source: KindSource =
    requested === "auto" ? { from: "auto", openaiKeySet } : { from: flag ? "flag" : "pipeline" };
  return { kind, source, settings };
}

/** "from the pipeline", "from --provider", or the auto rule that picked it. */
export function describeSource(source: KindSource): string {
  if (source.from === "flag") return "from --provider";
  if (source.from === "pipeline") return "from the pipeline";
  return source.openaiKeySet
    ? "auto: OPENAI_API_KEY is set"
    : "auto: OPENAI_API_KEY is not set; using the built-in offline provider";
}

/** Base URLs are compared and recorded without trailing slashes. */
export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}

import type { Pipeline, ProviderKind, ProviderSettings } from "../core/pipeline.generated.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Env } from "../core/env.js";
import { resolveAzure } from "./kinds/azure.js";
import { envValue, type KindResolver } from "./kinds/common.js";
import { resolveNebius, resolveTogether } from "./kinds/hosted.js";
import { resolveLocal } from "./kinds/local.js";
import { resolveCompatible, resolveOpenAI } from "./kinds/openai.js";
import type { Provider, ProviderIdentity, ProviderKindName } from "./provider.js";
import { chooseKind, describeSource, type KindSource, pipelineProviderSettings } from "./settings.js";

/** The outcome of choosing a provider, before any connection is made. */
export type ProviderChoice =
  | {
      ok: true;
      identity: ProviderIdentity;
      /** One line for stderr: which provider and why, e.g. "provider: local (auto: OPENAI_API_KEY is not set)". */
      explanation: string;
      /** Why this kind: `auto` follows OPENAI_API_KEY, which the pipeline does not show. */
      source: KindSource;
      /** The settings the run uses: the chosen kind's, with the pipeline's own only when written for it (or auto). */
      settings: ProviderSettings;
      /** Connects (for local: starts the in-process server). */
      connect(): Promise<Provider>;
    }
  | { ok: false; diagnostics: Diagnostic[] };

export interface ResolveProviderInput {
  config: Pipeline;
  env: Env;
  /** --provider, which wins over the pipeline. */
  flag?: string;
  /** Project root, for the local provider's default state dir (.tunefile/local). */
  root: string;
  /** Directory of the pipeline file, against which provider.state_dir is resolved. Default: root. */
  pipelineDir?: string;
}

const RESOLVERS: Record<ProviderKindName, KindResolver> = {
  openai: resolveOpenAI,
  azure: resolveAzure,
  "openai-compatible": resolveCompatible,
  local: resolveLocal,
  together: resolveTogether,
  nebius: resolveNebius,
};

function isProviderKind(value: string): value is ProviderKind {
  return value === "auto" || Object.hasOwn(RESOLVERS, value);
}

/** `provider-unknown` when `--provider` names no kind; nothing otherwise. */
export function checkProviderFlag(flag: string | undefined): Diagnostic[] {
  if (flag === undefined || isProviderKind(flag)) return [];
  return [
    {
      severity: "error",
      code: "provider-unknown",
      message: `unknown provider \`${flag}\` given with --provider`,
      hint: `use one of: auto, ${Object.keys(RESOLVERS).join(", ")}`,
    },
  ];
}

/**
 * Chooses the provider (see chooseKind) without connecting or any request; missing credentials come back as
 * diagnostics that say exactly what to set.
 */
export function resolveProvider(input: ResolveProviderInput): ProviderChoice {
  if (input.flag !== undefined && !isProviderKind(input.flag)) {
    return { ok: false, diagnostics: checkProviderFlag(input.flag) };
  }
  const openaiKeySet = envValue(input.env, "OPENAI_API_KEY") !== undefined;
  const chosen = chooseKind(pipelineProviderSettings(input.config), input.flag, openaiKeySet);
  const resolution = RESOLVERS[chosen.kind]({
    settings: chosen.settings,
    env: input.env,
    root: input.root,
    pipelineDir: input.pipelineDir ?? input.root,
  });
  if (!resolution.ok) return resolution;
  return {
    ok: true,
    identity: resolution.identity,
    explanation: `provider: ${chosen.kind} (${describeSource(chosen.source)})${resolution.detail}`,
    source: chosen.source,
    settings: chosen.settings,
    connect: resolution.connect,
  };
}

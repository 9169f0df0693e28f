import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Pipeline } from "../config/pipeline.generated.js";
import type { Env } from "../util/env.js";
import type { Provider, ProviderIdentity } from "./provider.js";

/** The outcome of choosing a provider, before any connection is made. */
export type ProviderChoice =
  | {
      ok: true;
      identity: ProviderIdentity;
      /** One line for stderr: which provider and why, e.g. "provider: local (auto: OPENAI_API_KEY is not set)". */
      explanation: string;
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
}

/** Placeholder until the providers issue lands. */
export function resolveProvider(_input: ResolveProviderInput): ProviderChoice {
  return {
    ok: false,
    diagnostics: [{ severity: "error", code: "provider-not-built", message: "providers are not built yet" }],
  };
}

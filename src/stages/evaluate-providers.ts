import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Env } from "../core/env.js";
import type { EvalCandidate } from "../eval/types.js";
import type { Provider } from "../providers/provider.js";
import { resolveProvider } from "../providers/resolve.js";

/** The candidates' own providers, connected, and how to release them. */
export interface CandidateProviders {
  providerFor(candidate: EvalCandidate): Provider | undefined;
  close(): Promise<void>;
}

/**
 * Connects the providers of candidates that name their own (`{model, provider}`), each resolved on its own with
 * its own credentials, so one report can compare models on several services. Candidates on the same service
 * share one connection. Missing credentials come back as diagnostics, before any request.
 */
export async function connectCandidateProviders(
  pipeline: LoadedPipeline,
  env: Env,
  candidates: readonly EvalCandidate[],
): Promise<{ ok: true; providers: CandidateProviders } | { ok: false; diagnostics: Diagnostic[] }> {
  const byLabel = new Map<string, Provider>();
  const byIdentity = new Map<string, Provider>();
  const diagnostics: Diagnostic[] = [];
  for (const candidate of candidates) {
    if (candidate.provider === undefined) continue;
    const choice = resolveProvider({
      config: { ...pipeline.config, provider: candidate.provider },
      env,
      root: pipeline.paths.root,
      pipelineDir: pipeline.paths.dir,
    });
    if (!choice.ok) {
      diagnostics.push(
        ...choice.diagnostics.map((d) => ({ ...d, message: `candidate ${candidate.label}: ${d.message}` })),
      );
      continue;
    }
    const key = `${choice.identity.kind} ${choice.identity.base_url}`;
    let provider = byIdentity.get(key);
    if (!provider) {
      provider = await choice.connect();
      byIdentity.set(key, provider);
    }
    byLabel.set(candidate.label, provider);
  }
  const close = async () => {
    for (const provider of byIdentity.values()) await provider.close();
  };
  if (diagnostics.length > 0) {
    await close();
    return { ok: false, diagnostics };
  }
  return { ok: true, providers: { providerFor: (c) => byLabel.get(c.label), close } };
}

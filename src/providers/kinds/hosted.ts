import OpenAI from "openai";
import type { ProviderKindName } from "../provider.js";
import { trimSlashes } from "../settings.js";
import { togetherFiles } from "../together/files.js";
import { togetherTraining } from "../together/fine-tunes.js";
import { openaiTraining } from "../training/openai.js";
import { commonClientOptions, envValue, type KindResolver, missing, resolvedAt, sdkProvider } from "./common.js";

/** A hosted fine-tuning service for open models, reached at its documented base URL with its own key. */
interface Hosted {
  kind: Extract<ProviderKindName, "together" | "nebius">;
  /** The service's API base; `provider.base_url` overrides it (e.g. the local server's /together/v1). */
  baseUrl: string;
  keyEnv: string;
}

/** Together AI: its own files and fine-tunes API, OpenAI-compatible chat (https://docs.together.ai/reference). */
export const resolveTogether: KindResolver = hostedResolver({
  kind: "together",
  baseUrl: "https://api.together.xyz/v1",
  keyEnv: "TOGETHER_API_KEY",
});

/** Nebius Token Factory: an OpenAI-compatible API, its own hyperparameters (https://docs.tokenfactory.nebius.com). */
export const resolveNebius: KindResolver = hostedResolver({
  kind: "nebius",
  baseUrl: "https://api.tokenfactory.nebius.com/v1",
  keyEnv: "NEBIUS_API_KEY",
});

function hostedResolver(service: Hosted): KindResolver {
  return ({ settings, env }) => {
    const keyName = settings.api_key_env ?? service.keyEnv;
    const apiKey = envValue(env, keyName);
    if (!apiKey) {
      const message = `provider ${service.kind} needs an API key: set ${keyName}`;
      return { ok: false, diagnostics: [missing("provider-credentials", message)] };
    }
    const baseURL = trimSlashes(settings.base_url ?? service.baseUrl);
    const identity = { kind: service.kind, base_url: baseURL };
    return resolvedAt(identity, () => {
      const client = new OpenAI({ ...commonClientOptions(env), apiKey, baseURL });
      return sdkProvider(
        identity,
        client,
        service.kind === "together"
          ? { files: togetherFiles(client, apiKey), training: togetherTraining(client) }
          : { training: openaiTraining(client, "nebius") },
      );
    });
  };
}

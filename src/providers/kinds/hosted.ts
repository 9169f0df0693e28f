import OpenAI from "openai";
import { trimSlashes } from "../settings.js";
import { togetherFiles } from "../together/files.js";
import { togetherTraining } from "../together/fine-tunes.js";
import { openaiTraining } from "../training/openai.js";
import { commonClientOptions, envValue, type KindResolver, missing, resolvedAt, sdkProvider } from "./common.js";

/** Together AI: its own files and fine-tunes API, OpenAI-compatible chat (https://docs.together.ai/reference). */
export const resolveTogether = hostedResolver("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY");

/** Nebius Token Factory: an OpenAI-compatible API, its own hyperparameters (https://docs.tokenfactory.nebius.com). */
export const resolveNebius = hostedResolver("nebius", "https://api.tokenfactory.nebius.com/v1", "NEBIUS_API_KEY");

/**
 * A hosted fine-tuning service for open models, reached at its documented base URL with its own key;
 * `provider.base_url` overrides the URL (e.g. the local server's /together/v1).
 */
function hostedResolver(kind: "together" | "nebius", defaultBaseUrl: string, defaultKeyEnv: string): KindResolver {
  return ({ settings, env }) => {
    const keyName = settings.api_key_env ?? defaultKeyEnv;
    const apiKey = envValue(env, keyName);
    if (!apiKey) {
      const message = `provider ${kind} needs an API key: set ${keyName}`;
      return { ok: false, diagnostics: [missing("provider-credentials", message)] };
    }
    const baseURL = trimSlashes(settings.base_url ?? defaultBaseUrl);
    const identity = { kind, base_url: baseURL };
    return resolvedAt(identity, () => {
      const client = new OpenAI({ ...commonClientOptions(env), apiKey, baseURL });
      return sdkProvider(
        identity,
        client,
        kind === "together"
          ? { files: togetherFiles(client, apiKey), training: togetherTraining(client) }
          : { training: openaiTraining(client, "nebius") },
      );
    });
  };
}

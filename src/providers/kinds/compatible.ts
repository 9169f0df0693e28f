import OpenAI from "openai";
import { trimSlashes } from "../settings.js";
import { commonClientOptions, envValue, type KindResolver, missing, sdkProvider } from "./common.js";

/**
 * openai-compatible: any service with the same API shape at `base_url` (or OPENAI_BASE_URL), with its key in the
 * variable named by `api_key_env` (default OPENAI_API_KEY).
 */
export const resolveCompatible: KindResolver = ({ settings, env }) => {
  const keyName = settings.api_key_env ?? "OPENAI_API_KEY";
  const apiKey = envValue(env, keyName);
  const base = settings.base_url ?? envValue(env, "OPENAI_BASE_URL");
  const problems = [];
  if (!base) {
    problems.push(
      missing(
        "provider-config",
        "provider openai-compatible needs a base URL: set provider.base_url in the pipeline (or OPENAI_BASE_URL)",
        "e.g. provider: { kind: openai-compatible, base_url: https://example.com/v1, api_key_env: EXAMPLE_API_KEY }",
      ),
    );
  }
  if (!apiKey) {
    problems.push(
      missing(
        "provider-credentials",
        `provider openai-compatible needs an API key: set ${keyName}`,
        settings.api_key_env ? undefined : "or name the variable that holds it with provider.api_key_env",
      ),
    );
  }
  if (!base || !apiKey) return { ok: false, diagnostics: problems };
  const baseURL = trimSlashes(base);
  const identity = { kind: "openai-compatible" as const, base_url: baseURL };
  return {
    ok: true,
    identity,
    detail: ` at ${baseURL}`,
    connect: async () => sdkProvider(identity, new OpenAI({ ...commonClientOptions(env), apiKey, baseURL })),
  };
};

import OpenAI from "openai";
import { trimSlashes } from "../settings.js";
import { commonClientOptions, envValue, type KindResolver, missing, resolvedAt, sdkProvider } from "./common.js";

export const OFFICIAL_BASE_URL = "https://api.openai.com/v1";

/**
 * openai: the key from `api_key_env` (default OPENAI_API_KEY); base URL, organization and project from the
 * pipeline or OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID.
 */
export const resolveOpenAI: KindResolver = ({ settings, env }) => {
  const keyName = settings.api_key_env ?? "OPENAI_API_KEY";
  const apiKey = envValue(env, keyName);
  if (!apiKey) {
    return {
      ok: false,
      diagnostics: [
        missing(
          "provider-credentials",
          `provider openai needs an API key: set ${keyName}`,
          keyName === "OPENAI_API_KEY"
            ? "or run offline with `--provider local`"
            : `provider.api_key_env names ${keyName}, which is not set`,
        ),
      ],
    };
  }
  const baseURL = trimSlashes(settings.base_url ?? envValue(env, "OPENAI_BASE_URL") ?? OFFICIAL_BASE_URL);
  const organization = settings.organization ?? envValue(env, "OPENAI_ORG_ID") ?? null;
  const project = settings.project ?? envValue(env, "OPENAI_PROJECT_ID") ?? null;
  const identity = { kind: "openai" as const, base_url: baseURL };
  return resolvedAt(identity, () =>
    sdkProvider(identity, new OpenAI({ ...commonClientOptions(env), apiKey, baseURL, organization, project })),
  );
};

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
  return resolvedAt(identity, () =>
    sdkProvider(identity, new OpenAI({ ...commonClientOptions(env), apiKey, baseURL })),
  );
};

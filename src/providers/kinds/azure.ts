import { AzureOpenAI } from "openai";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { trimSlashes } from "../settings.js";
import { commonClientOptions, envValue, type KindResolver, missing, resolvedAt, sdkProvider } from "./common.js";

/**
 * azure: the resource endpoint (AZURE_OPENAI_ENDPOINT), the key (AZURE_OPENAI_API_KEY or api_key_env, sent as
 * `api-key`) and an api-version (OPENAI_API_VERSION). Files and jobs live under `<endpoint>/openai`; a fine-tuned
 * model must be deployed (deploy.azure) before it serves completions.
 */
export const resolveAzure: KindResolver = ({ settings, env }) => {
  const keyName = settings.api_key_env ?? "AZURE_OPENAI_API_KEY";
  const apiKey = envValue(env, keyName);
  const endpoint = settings.endpoint ?? envValue(env, "AZURE_OPENAI_ENDPOINT");
  const apiVersion = settings.api_version ?? envValue(env, "OPENAI_API_VERSION");
  const problems: Diagnostic[] = [];
  if (!endpoint) {
    problems.push(
      missing(
        "provider-config",
        "provider azure needs the resource endpoint: set AZURE_OPENAI_ENDPOINT (or provider.endpoint)",
        "e.g. https://my-resource.openai.azure.com",
      ),
    );
  }
  if (!apiKey) problems.push(missing("provider-credentials", `provider azure needs an API key: set ${keyName}`));
  if (!apiVersion) {
    problems.push(
      missing(
        "provider-config",
        "provider azure needs an api-version: set OPENAI_API_VERSION (or provider.api_version)",
        "e.g. 2025-04-01-preview; fine-tuning needs 2024-05-01-preview or later",
      ),
    );
  }
  if (!endpoint || !apiKey || !apiVersion) return { ok: false, diagnostics: problems };
  // The SDK would derive the same URL from `endpoint`, but it reads AZURE_OPENAI_ENDPOINT itself when only
  // baseURL is missing; giving baseURL keeps process.env out of it.
  const baseURL = `${trimSlashes(endpoint)}/openai`;
  const identity = { kind: "azure" as const, base_url: baseURL };
  const options = { ...commonClientOptions(env), apiKey, apiVersion, baseURL };
  const deployments = new Map(Object.entries(settings.deployments ?? {}));
  const connect = () =>
    sdkProvider(identity, new AzureOpenAI(options), { deploymentOf: (model) => deployments.get(model) ?? model });
  return resolvedAt(identity, connect, ` at ${baseURL}, api-version ${apiVersion}`);
};

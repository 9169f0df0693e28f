import type { DiagnosticCode } from "../../diagnostics/codes.js";
import type { ClientOptions, OpenAI } from "openai";
import type { ProviderSettings } from "../../core/pipeline.generated.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Env } from "../../core/env.js";
import { openaiFiles } from "../files.js";
import type { Provider, ProviderIdentity } from "../provider.js";
import { openaiTraining } from "../training/openai.js";

/**
 * Per-request timeout unless TUNEFILE_REQUEST_TIMEOUT_MS says otherwise: long enough for a 64 MB upload part on a
 * slow link, short enough that a hung connection is retried within minutes (the SDK's default is ten).
 */
const DEFAULT_TIMEOUT_MS = 120_000;

/** What a kind's resolver needs. */
export interface KindInput {
  settings: ProviderSettings;
  env: Env;
  root: string;
  /** Directory of the pipeline file, for the local provider's relative state_dir. Default: root. */
  pipelineDir: string;
}

/** A kind's answer: everything but the explanation's common prefix, or what to set. */
export type KindResolution =
  | {
      ok: true;
      identity: ProviderIdentity;
      /** Extra detail after "provider: <kind> (<why>)", e.g. " at https://…" */
      detail: string;
      connect(): Promise<Provider>;
    }
  | { ok: false; diagnostics: Diagnostic[] };

export type KindResolver = (input: KindInput) => KindResolution;

/** Options every client shares: no SDK retries (src/core/retry.ts owns them), nothing read from process.env. */
export function commonClientOptions(env: Env): Omit<ClientOptions, "provider"> {
  const timeout = Number.parseInt(env.TUNEFILE_REQUEST_TIMEOUT_MS ?? "", 10);
  return {
    maxRetries: 0,
    timeout: timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // The SDK's logger could print request details; failures reach the user through our own redacted messages.
    logLevel: "off",
  };
}

/** A missing setting, said as what to set. */
export function missing(code: DiagnosticCode, message: string, hint?: string): Diagnostic {
  return { severity: "error", code, message, ...(hint ? { hint } : {}) };
}

/** The value of a non-empty environment variable. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value && value.trim() !== "" ? value : undefined;
}

/** A provider of the OpenAI API shape: its Files API and fine-tuning jobs, unless `more` says otherwise. */
export function sdkProvider(identity: ProviderIdentity, client: OpenAI, more: Partial<Provider> = {}): Provider {
  return {
    identity,
    client,
    files: openaiFiles(client),
    training: openaiTraining(client),
    deploymentOf: (model) => model,
    close: async () => {},
    ...more,
  };
}

/** A kind resolved to `identity`; connecting makes no request. */
export function resolvedAt(
  identity: ProviderIdentity,
  connect: () => Provider,
  detail = ` at ${identity.base_url}`,
): KindResolution {
  return { ok: true, identity, detail, connect: async () => connect() };
}

import type { StageError } from "../engine/stage.js";
import type { Deploy } from "../core/pipeline.generated.js";
import { type RetryClassification, withRetry } from "../core/retry.js";
import { isTransientStatus, parseRetryAfter } from "../providers/errors.js";
import type { Redactor } from "../providers/redact.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";

/** ARM api-version for Cognitive Services deployments. */
export const ARM_API_VERSION = "2024-10-21";
export const DEFAULT_MANAGEMENT_ENDPOINT = "https://management.azure.com";
export const DEFAULT_TOKEN_ENV = "AZURE_MANAGEMENT_TOKEN";

export type AzureDeploySettings = NonNullable<Deploy["azure"]>;

/** The ARM URL of a deployment. */
export function deploymentUrl(settings: AzureDeploySettings, name: string): string {
  const endpoint = (settings.management_endpoint ?? DEFAULT_MANAGEMENT_ENDPOINT).replace(/\/+$/, "");
  const seg = encodeURIComponent;
  return `${endpoint}/subscriptions/${seg(settings.subscription_id)}/resourceGroups/${seg(settings.resource_group)}/providers/Microsoft.CognitiveServices/accounts/${seg(settings.account)}/deployments/${seg(name)}?api-version=${ARM_API_VERSION}`;
}

/** An ARM response that was not a success, with what the retry owner needs to classify it. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
  }
}

/** Worth waiting for: what the SDK retries (a deployment being updated answers 409), and a lost connection. */
export function classifyArmError(err: unknown, now: Date): RetryClassification {
  if (err instanceof ArmError) {
    if (!isTransientStatus(err.status)) return { kind: "permanent" };
    const retryAfterMs = parseRetryAfter(err.headers, now);
    return {
      kind: "transient",
      reason: `${err.status} from ARM`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  // fetch rejects with a TypeError when the connection fails.
  if (err instanceof TypeError) return { kind: "transient", reason: "connection error" };
  return { kind: "permanent" };
}

export interface AzureDeployInput {
  settings: AzureDeploySettings;
  /** Deployment name (default: the alias). */
  name: string;
  model: string;
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  redact: Redactor;
  fetch?: typeof fetch;
  onRetry?(reason: string, delayMs: number, attempt: number): void;
}

export type AzureDeployResult =
  | { ok: true; id: string; name: string }
  | { ok: false; code: StageError["code"]; message: string };

/**
 * Creates or updates the model deployment through the ARM control plane (PUT), then polls GET until its
 * provisioningState is Succeeded. The bearer token comes from the environment variable `token_env` and is never
 * recorded or printed.
 */
export async function deployOnAzure(input: AzureDeployInput): Promise<AzureDeployResult> {
  const tokenEnv = input.settings.token_env ?? DEFAULT_TOKEN_ENV;
  const token = input.env[tokenEnv];
  const missing = `set ${tokenEnv} to an Entra bearer token for the ARM API`;
  if (!token) return { ok: false, code: "azure-token-missing", message: missing };
  const doFetch = input.fetch ?? fetch;
  const url = deploymentUrl(input.settings, input.name);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const { settings, model } = input;
  const body = JSON.stringify({
    sku: { name: settings.sku ?? "standard", capacity: settings.capacity ?? 1 },
    properties: { model: { format: "OpenAI", name: model, version: "1" } },
  });
  const call = async (method: "PUT" | "GET") =>
    withRetry(
      async () => {
        const res = await doFetch(url, {
          method,
          headers,
          signal: input.signal,
          ...(method === "PUT" ? { body } : {}),
        });
        const text = await res.text();
        if (!res.ok) throw new ArmError(res.status, res.headers, input.redact(`${res.status} ${armMessage(text)}`));
        return JSON.parse(text) as { id?: string; name?: string; properties?: { provisioningState?: string } };
      },
      {
        signal: input.signal,
        clock: input.clock,
        classify: (err) => classifyArmError(err, input.clock.now()),
        onRetry: (info) => input.onRetry?.(info.reason, info.delayMs, info.attempt),
      },
    );
  try {
    let deployment = await call("PUT");
    const deadline = input.clock.now().getTime() + 30 * 60_000; // the longest wait for provisioning
    for (;;) {
      const state = deployment.properties?.provisioningState ?? "Succeeded";
      if (state === "Succeeded") return { ok: true, id: deployment.id ?? url, name: deployment.name ?? input.name };
      if (state === "Failed" || state === "Canceled") {
        return { ok: false, code: "azure-deployment-failed", message: `deployment ${input.name} is ${state}` };
      }
      if (input.clock.now().getTime() > deadline) {
        return { ok: false, code: "azure-deployment-timeout", message: `deployment ${input.name} is still ${state}` };
      }
      await input.clock.sleep(10_000, input.signal);
      deployment = await call("GET");
    }
  } catch (err) {
    if (input.signal.aborted) throw err;
    if (err instanceof ArmError) return { ok: false, code: `http-${err.status}`, message: err.message };
    return { ok: false, code: "azure-request-failed", message: input.redact((err as Error).message ?? String(err)) };
  }
}

/** ARM errors are `{error: {code, message}}`; anything else is shown as is, shortened. */
function armMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return `${body.error.code ? `${body.error.code}: ` : ""}${body.error.message}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

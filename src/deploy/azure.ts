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

type ArmDeployment = { id?: string; name?: string; properties?: { provisioningState?: string } };

/**
 * One ARM request on the deployment, under the retry owner. The bearer token comes from the environment variable
 * `token_env` and is never recorded or printed; undefined when it is not set.
 */
function armClient(input: Omit<AzureDeployInput, "model">) {
  const token = input.env[input.settings.token_env ?? DEFAULT_TOKEN_ENV];
  if (!token) return undefined;
  const doFetch = input.fetch ?? fetch;
  const url = deploymentUrl(input.settings, input.name);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const call = (method: "PUT" | "GET" | "DELETE", body?: string) =>
    withRetry(
      async () => {
        const res = await doFetch(url, { method, headers, signal: input.signal, ...(body ? { body } : {}) });
        const text = await res.text();
        // Deleting a deployment that is already gone is what was asked for.
        if (method === "DELETE" && res.status === 404) return {};
        if (!res.ok) throw new ArmError(res.status, res.headers, input.redact(`${res.status} ${armMessage(text)}`));
        return (text ? JSON.parse(text) : {}) as ArmDeployment;
      },
      {
        signal: input.signal,
        clock: input.clock,
        classify: (err) => classifyArmError(err, input.clock.now()),
        onRetry: (info) => input.onRetry?.(info.reason, info.delayMs, info.attempt),
      },
    );
  return { url, call };
}

function tokenMissing(input: Omit<AzureDeployInput, "model">): Extract<AzureDeployResult, { ok: false }> {
  const tokenEnv = input.settings.token_env ?? DEFAULT_TOKEN_ENV;
  return {
    ok: false,
    code: "azure-token-missing",
    message: `set ${tokenEnv} to an Entra bearer token for the ARM API`,
  };
}

function armFailure(input: Omit<AzureDeployInput, "model">, err: unknown): Extract<AzureDeployResult, { ok: false }> {
  if (input.signal.aborted) throw err;
  if (err instanceof ArmError) return { ok: false, code: `http-${err.status}`, message: err.message };
  return { ok: false, code: "azure-request-failed", message: input.redact((err as Error).message ?? String(err)) };
}

/**
 * Creates or updates the model deployment through the ARM control plane (PUT, which is idempotent by name), then
 * polls GET until its provisioningState is Succeeded.
 */
export async function deployOnAzure(input: AzureDeployInput): Promise<AzureDeployResult> {
  const arm = armClient(input);
  if (!arm) return tokenMissing(input);
  const { settings, model } = input;
  const body = JSON.stringify({
    sku: { name: settings.sku ?? "standard", capacity: settings.capacity ?? 1 },
    properties: { model: { format: "OpenAI", name: model, version: "1" } },
  });
  try {
    let deployment = await arm.call("PUT", body);
    const deadline = input.clock.now().getTime() + 30 * 60_000; // the longest wait for provisioning
    for (;;) {
      const state = deployment.properties?.provisioningState ?? "Succeeded";
      if (state === "Succeeded") return { ok: true, id: deployment.id ?? arm.url, name: deployment.name ?? input.name };
      if (state === "Failed" || state === "Canceled") {
        return { ok: false, code: "azure-deployment-failed", message: `deployment ${input.name} is ${state}` };
      }
      if (input.clock.now().getTime() > deadline) {
        return { ok: false, code: "azure-deployment-timeout", message: `deployment ${input.name} is still ${state}` };
      }
      await input.clock.sleep(10_000, input.signal);
      deployment = await arm.call("GET");
    }
  } catch (err) {
    return armFailure(input, err);
  }
}

/** Deletes the deployment (DELETE; one that is already gone counts as deleted). */
export async function deleteOnAzure(
  input: Omit<AzureDeployInput, "model">,
): Promise<{ ok: true } | Extract<AzureDeployResult, { ok: false }>> {
  const arm = armClient(input);
  if (!arm) return tokenMissing(input);
  try {
    await arm.call("DELETE");
    return { ok: true };
  } catch (err) {
    return armFailure(input, err);
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

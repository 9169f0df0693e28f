import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { deployOnAzure } from "../../src/deploy/azure.js";
import type { DeploymentFile } from "../../src/deploy/record.js";
import type { StageContext } from "../../src/engine/stage.js";
import { startLocalServer } from "../../src/server/app.js";
import { deployStage } from "../../src/stages/deploy.js";
import { systemClock } from "../../src/core/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { projectWith } from "../helpers/project.js";

const TOKEN = "arm-token-0123456789-secret";

/** A local provider serving the ARM deployments shape; its root URL stands in for management.azure.com. */
async function armEndpoint() {
  const server = await startLocalServer({ port: 0, stateDir: await tempDir() });
  return { endpoint: server.url.replace(/\/v1$/, ""), close: () => server.close() };
}

const settings = (endpoint: string) => ({
  subscription_id: "sub-1",
  resource_group: "rg-1",
  account: "acct-1",
  management_endpoint: endpoint,
});

const noRedaction = (s: string) => s;

describe("Azure deployment through the ARM API (served by the local provider)", () => {
  it("PUTs the deployment and reads back Succeeded", async () => {
    const arm = await armEndpoint();
    try {
      const requests: { method: string; url: string; auth: string | null; body?: unknown }[] = [];
      const recordingFetch: typeof fetch = async (input, init) => {
        const headers = new Headers(init?.headers);
        requests.push({
          method: init?.method ?? "GET",
          url: String(input),
          auth: headers.get("authorization"),
          ...(typeof init?.body === "string" ? { body: JSON.parse(init.body) } : {}),
        });
        return fetch(input, init);
      };
      const result = await deployOnAzure({
        settings: { ...settings(arm.endpoint), sku: "globalstandard", capacity: 2 },
        name: "elle-production",
        model: "gpt-4o-mini-2024-07-18",
        env: { AZURE_MANAGEMENT_TOKEN: TOKEN },
        clock: systemClock,
        signal: new AbortController().signal,
        redact: noRedaction,
        fetch: recordingFetch,
      });
      expect(result).toEqual({
        ok: true,
        id: "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1/deployments/elle-production",
        name: "elle-production",
      });
      expect(requests).toEqual([
        {
          method: "PUT",
          url: `${arm.endpoint}/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1/deployments/elle-production?api-version=2024-10-21`,
          auth: `Bearer ${TOKEN}`,
          body: {
            sku: { name: "globalstandard", capacity: 2 },
            properties: { model: { format: "OpenAI", name: "gpt-4o-mini-2024-07-18", version: "1" } },
          },
        },
      ]);
      // The deployment exists on the server afterwards.
      const got = await fetch(requests[0]!.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await got.json()).toMatchObject({
        name: "elle-production",
        properties: { model: { name: "gpt-4o-mini-2024-07-18" }, provisioningState: "Succeeded" },
      });
    } finally {
      await arm.close();
    }
  });

  it("fails plainly without a token, and with the service's message for an unknown model", async () => {
    const arm = await armEndpoint();
    try {
      const base = {
        settings: settings(arm.endpoint),
        name: "d",
        clock: systemClock,
        signal: new AbortController().signal,
        redact: noRedaction,
      };
      expect(await deployOnAzure({ ...base, model: "gpt-4o-mini-2024-07-18", env: {} })).toEqual({
        ok: false,
        code: "azure-token-missing",
        message: "set AZURE_MANAGEMENT_TOKEN to an Entra bearer token for the ARM API",
      });
      const unknown = await deployOnAzure({ ...base, model: "no-such-model", env: { AZURE_MANAGEMENT_TOKEN: TOKEN } });
      expect(unknown.ok).toBe(false);
      if (!unknown.ok) {
        expect(unknown.code).toBe("http-404");
        expect(unknown.message).toContain("no-such-model");
        expect(unknown.message).not.toContain(TOKEN);
      }
    } finally {
      await arm.close();
    }
  });

  it("the deploy stage creates the Azure deployment and records it with the alias", async () => {
    const arm = await armEndpoint();
    try {
      const root = await projectWith(`version: 1
name: azdeploy
provider: azure
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
training:
  fine_tuned_model: gpt-4o-mini-2024-07-18
deploy:
  alias: elle-production
  azure:
    subscription_id: sub-1
    resource_group: rg-1
    account: acct-1
    deployment_name: elle-prod
    management_endpoint: ${arm.endpoint}
    token_env: ARM_TOKEN
`);
      const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
      const events: unknown[] = [];
      const ctx: StageContext = {
        stage: "deploy",
        pipeline: loaded.pipeline,
        env: { ARM_TOKEN: TOKEN },
        clock: { now: () => new Date("2026-01-02T03:04:05.000Z"), sleep: systemClock.sleep },
        signal: new AbortController().signal,
        options: { detach: false, force: false, yes: false },
        provider: () => Promise.reject(new Error("deploy does not need the inference provider")),
        fingerprint: "fp-1",
        upstream: {},
        previous: undefined,
        saveCheckpoint: async () => {},
        emit: (e) => events.push(e),
      };
      const outcome = await deployStage.run(ctx);
      expect(outcome).toEqual({
        kind: "succeeded",
        outputs: {
          alias: "elle-production",
          model: "gpt-4o-mini-2024-07-18",
          deployments_file: "deployments/azdeploy.json",
          azure_deployment: "elle-prod",
        },
      });
      const record = JSON.parse(await readFile(path.join(root, "deployments/azdeploy.json"), "utf8")) as DeploymentFile;
      expect(record.current).toEqual({
        model: "gpt-4o-mini-2024-07-18",
        fingerprint: "fp-1",
        deployed_at: "2026-01-02T03:04:05.000Z",
        azure: {
          id: "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1/deployments/elle-prod",
          name: "elle-prod",
        },
      });
      expect(JSON.stringify(record)).not.toContain(TOKEN);
    } finally {
      await arm.close();
    }
  });
});

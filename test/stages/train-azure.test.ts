import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { startLocalServer } from "../../src/server/app.js";
import { evaluationDeploymentName } from "../../src/stages/evaluate-azure.js";
import { lockedStages, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

/** A Standard deployment of `model` named `name`, through the local server's ARM plane. */
async function putDeployment(endpoint: string, key: string, name: string, model: string): Promise<void> {
  const arm = `${endpoint}/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1/deployments`;
  const put = await fetch(`${arm}/${name}?api-version=2024-10-21`, {
    method: "PUT",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      sku: { name: "Standard", capacity: 10 },
      properties: { model: { format: "OpenAI", name: model, version: "1" } },
    }),
  });
  expect(put.status).toBe(200);
}

describe("upload and train through the AzureOpenAI client", () => {
  it("goes through <endpoint>/openai with the api-key header (the server refuses other keys) and records the azure identity", async () => {
    const root = await elleProject();
    // The local server also answers Azure's /openai/... paths and its api-key header.
    const service = await startLocalServer({
      port: 0,
      stateDir: path.join(root, "azure"),
      apiKey: "azure-key-0123456789",
    });
    const endpoint = service.url.replace(/\/v1$/, "");
    try {
      const env = {
        AZURE_OPENAI_ENDPOINT: endpoint,
        AZURE_OPENAI_API_KEY: "azure-key-0123456789",
        OPENAI_API_VERSION: "2025-04-01-preview",
      };
      // The evaluation will ask the base model by its name, which names no deployment yet: refused before the job.
      const refused = await runInProcess(root, { env, provider: "azure" });
      expect(refused.result).toMatchObject({ kind: "failed", stage: "train" });
      expect((await lockedStages(root)).train?.error).toMatchObject({
        code: "azure-deployment-missing",
        message: expect.stringContaining("gpt-4o-mini-2024-07-18"),
      });
      const jobs = await fetch(`${endpoint}/openai/fine_tuning/jobs?api-version=2025-04-01-preview`, {
        headers: { "api-key": "azure-key-0123456789" },
      });
      expect(((await jobs.json()) as { data: unknown[] }).data).toEqual([]);
      // A deployment named as the model, as many resources have: the same run trains.
      await putDeployment(endpoint, "azure-key-0123456789", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18");
      const run = await runInProcess(root, { env, provider: "azure" });
      expect(run.result).toEqual({ kind: "completed" });
      const stages = await lockedStages(root);
      expect(stages.train?.checkpoint?.provider).toEqual({ kind: "azure", base_url: `${endpoint}/openai` });
      expect(stages.train?.outputs?.fine_tuned_model).toEqual(expect.any(String));
    } finally {
      await service.close();
    }
  }, 60_000);
});

describe("evaluation on Azure", () => {
  it("deploys the fine-tuned model at the Developer tier to evaluate it, deletes that deployment after, then deploys the gated model", async () => {
    const root = await elleProject({ smallEval: true });
    const key = "azure-key-0123456789";
    const service = await startLocalServer({ port: 0, stateDir: path.join(root, "azure"), apiKey: key });
    const endpoint = service.url.replace(/\/v1$/, "");
    const file = path.join(root, "pipelines/elle.yaml");
    const yaml = await readFile(file, "utf8");
    // The local server also serves the ARM deployments API; its root stands in for management.azure.com. As on a
    // real resource, the base model answers only through a deployment, here one not named as the model: the base and
    // few-shot candidates reach it through provider.deployments.
    await writeFile(
      file,
      yaml
        .replace("provider: auto\n", "provider: { kind: azure, deployments: { gpt-4o-mini-2024-07-18: base-mini } }\n")
        .replace(
          "deploy:\n  alias: elle-production\n",
          `deploy:\n  alias: elle-production\n  azure: { subscription_id: sub-1, resource_group: rg-1, account: acct-1, management_endpoint: "${endpoint}" }\n`,
        ),
    );
    await putDeployment(endpoint, key, "base-mini", "gpt-4o-mini-2024-07-18");
    try {
      const env = {
        AZURE_OPENAI_ENDPOINT: endpoint,
        AZURE_OPENAI_API_KEY: key,
        OPENAI_API_VERSION: "2025-04-01-preview",
        AZURE_MANAGEMENT_TOKEN: key, // the local server takes one key for both planes
      };
      const run = await runInProcess(root, { env, provider: "azure", allStages: true });
      expect(run.result).toEqual({ kind: "completed" });
      const stages = await lockedStages(root);
      const model = stages.train?.outputs?.fine_tuned_model as string;
      const results = JSON.parse(
        await readFile(path.join(root, ".tunefile/elle/eval/results.json"), "utf8"),
      ) as EvalResults;
      const fineTuned = results.candidates.find((c) => c.label === "fine_tuned");
      expect(fineTuned).toMatchObject({ model, deployment: evaluationDeploymentName(model) });
      // Every answer came back: without the deployment Azure answers 404 DeploymentNotFound for a fine-tuned model.
      expect(results.cells.filter((c) => c.error !== undefined)).toEqual([]);
      // The evaluation deployment is gone; the gated model's own deployment remains.
      expect(await readdir(path.join(root, "azure/deployments"))).toEqual(["base-mini.json", "elle-production.json"]);
      expect(stages.deploy?.outputs).toMatchObject({ model, azure_deployment: "elle-production" });
      const deploying = (events: { type: string; message?: string }[]) =>
        events
          .filter((e) => e.type === "stage-progress" && e.message?.includes("for evaluation"))
          .map((e) => e.message);
      expect(deploying(run.events)).toEqual([
        `deploying ${model} as ${evaluationDeploymentName(model)} for evaluation`,
      ]);
      // Evaluating again with every answer in the cache deploys nothing.
      const again = await runInProcess(root, {
        env,
        provider: "azure",
        allStages: true,
        selection: { only: "evaluate" },
      });
      expect(again.result).toEqual({ kind: "completed" });
      expect(again.events.some((e) => e.type === "stage-end" && e.stage === "evaluate")).toBe(true);
      expect(deploying(again.events)).toEqual([]);
      // Without the map and its cached answers, the base model is asked by its own name, which names no deployment
      // on the resource: evaluate fails, and says what to do.
      await rm(path.join(root, ".tunefile/elle/cache"), { recursive: true });
      await writeFile(
        file,
        (await readFile(file, "utf8")).replace(", deployments: { gpt-4o-mini-2024-07-18: base-mini }", ""),
      );
      const unmapped = await runInProcess(root, {
        env,
        provider: "azure",
        allStages: true,
        selection: { only: "evaluate" },
      });
      expect(unmapped.result).toMatchObject({ kind: "failed", stage: "evaluate" });
      expect(JSON.stringify(unmapped.result)).toContain("DeploymentNotFound");
      expect(JSON.stringify(unmapped.result)).toContain("name yours in provider.deployments");
    } finally {
      await service.close();
    }
  }, 90_000);
});

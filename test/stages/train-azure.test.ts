import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/server/app.js";
import { lockedStages, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

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

import { AzureOpenAI } from "openai";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import type { RunEvent } from "../../src/engine/events.js";
import type { StageContext } from "../../src/engine/stage.js";
import type { EvalCandidate } from "../../src/eval/types.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { commonClientOptions, sdkProvider } from "../../src/providers/kinds/common.js";
import { startLocalServer } from "../../src/server/app.js";
import { deployForEvaluation, evaluationDeploymentName } from "../../src/stages/evaluate-azure.js";
import { changedAnswers } from "../helpers/changed-answers.js";
import { projectWith } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";

const KEY = "azure-key-0123456789";
const MODEL = "gpt-4o-mini-2024-07-18";

describe("an Azure evaluation deployment that answers 404 at first", () => {
  it("is asked for one token until it serves, so the evaluation does not count Azure's warm-up as a failure", async () => {
    const server = await startLocalServer({ port: 0, stateDir: await tempDir(), apiKey: KEY });
    const endpoint = server.url.replace(/\/v1$/, "");
    try {
      const root = await projectWith(`version: 1
name: warmup
provider: azure
model: ${MODEL}
dataset:
  train: data/elle/training-data.jsonl
deploy:
  alias: prod
  azure: { subscription_id: s, resource_group: r, account: a, management_endpoint: "${endpoint}" }
`);
      const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
      // Azure's answer in the minutes after a deployment is created, at the HTTP boundary, twice.
      const name = evaluationDeploymentName(MODEL);
      let refusals = 0;
      const fetch = changedAnswers(
        (url) => url.pathname.endsWith(`/deployments/${name}/chat/completions`) && refusals < 2,
        async () => {
          refusals += 1;
          const message =
            "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";
          return new Response(JSON.stringify({ error: { code: "DeploymentNotFound", message } }), {
            status: 404,
            headers: { "content-type": "application/json" },
          });
        },
      );
      const client = new AzureOpenAI({
        ...commonClientOptions({}),
        apiKey: KEY,
        apiVersion: "2025-04-01-preview",
        baseURL: `${endpoint}/openai`,
        fetch,
      });
      const provider = sdkProvider({ kind: "azure", base_url: `${endpoint}/openai` }, client);
      const events: RunEvent[] = [];
      const sleeps: number[] = [];
      const ctx: StageContext = {
        stage: "evaluate",
        pipeline: loaded.pipeline,
        env: { AZURE_MANAGEMENT_TOKEN: KEY },
        clock: { now: () => systemClock.now(), sleep: async (ms: number) => void sleeps.push(ms) },
        signal: new AbortController().signal,
        options: { detach: false, force: false, yes: false },
        provider: async () => provider,
        fingerprint: "fp",
        upstream: {},
        previous: undefined,
        saveCheckpoint: async () => {},
        emit: (e) => events.push(e),
      };
      const candidates: EvalCandidate[] = [{ label: "fine_tuned", kind: "fine_tuned", model: MODEL }];
      const deployed = await deployForEvaluation(ctx, provider, candidates, async () => true);
      expect(deployed.ok && deployed.candidates).toEqual([{ ...candidates[0], deployment: name }]);
      expect(refusals).toBe(2);
      expect(sleeps).toEqual([15_000, 15_000]);
      const waits = events.filter((e) => e.type === "stage-progress" && e.message.startsWith("waiting for"));
      expect(waits).toHaveLength(2);
      // The deployment answers now, and is deleted on release.
      const answer = await client.chat.completions.create({
        model: name,
        messages: [{ role: "user", content: "Tell me about Neon" }],
        max_completion_tokens: 5,
      });
      expect(answer.choices[0]?.message.content).toEqual(expect.any(String));
      if (deployed.ok) await deployed.release();
      const arm = `${endpoint}/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a/deployments/${name}?api-version=2024-10-21`;
      expect((await globalThis.fetch(arm, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);
});

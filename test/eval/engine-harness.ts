import { openaiFiles } from "../../src/providers/files.js";
import { openaiTraining } from "../../src/providers/training/openai.js";
import path from "node:path";
import OpenAI from "openai";
import { loadPipeline } from "../../src/pipeline/load.js";
import type { RunEvent } from "../../src/engine/events.js";
import { execute, type RunResult } from "../../src/engine/executor.js";
import { LockfileStore } from "../../src/engine/lockfile/store.js";
import type { StageDefinition, StageName } from "../../src/engine/stage.js";
import type { Provider } from "../../src/providers/provider.js";
import { startLocalServer } from "../../src/server/app.js";
import type { FaultSpec } from "../../src/server/faults.js";
import { STAGES } from "../../src/stages/registry.js";
import { systemClock } from "../../src/core/clock.js";

export interface EngineRun {
  result: RunResult;
  events: RunEvent[];
  /** Chat completion requests that reached the local server in this run (through the SDK's fetch). */
  chatRequests: { model: string; user: string }[];
}

/**
 * Runs the real engine on the real stages in this process, against the real local provider on port 0 (state under
 * the project's .tunefile/local). The SDK client gets a fetch that records every chat completion request, which is
 * how the cache tests count what was asked.
 */
export async function runEngine(
  root: string,
  opts: {
    file?: string;
    disable?: StageName[];
    env?: Record<string, string>;
    faults?: FaultSpec;
    /** The local server's batch pacing and enqueued-token limit. */
    batches?: { batchMs?: number; batchTokens?: number };
    /** What reaches the server instead of `fetch`: a test's stand-in for how a real service answers. */
    fetch?: typeof fetch;
    /** --yes (spending past the budget allowed). Default: true. */
    yes?: boolean;
  } = {},
): Promise<EngineRun> {
  const env = opts.env ?? {};
  const loaded = await loadPipeline(`pipelines/${opts.file ?? "p.yaml"}`, { cwd: root, env });
  if (!loaded.ok) throw new Error(`pipeline did not load: ${JSON.stringify(loaded.diagnostics)}`);
  const pipeline = loaded.pipeline;
  const opened = await LockfileStore.open(pipeline.paths.lockfile, pipeline.paths.displayFile, pipeline.config.name);
  if (!opened.ok) throw new Error(`lockfile did not open: ${JSON.stringify(opened.diagnostics)}`);
  const chatRequests: { model: string; user: string }[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith("/chat/completions") && typeof init?.body === "string") {
      const body = JSON.parse(init.body) as { model: string; messages: { role: string; content: string }[] };
      chatRequests.push({ model: body.model, user: body.messages[body.messages.length - 1]?.content ?? "" });
    }
    return (opts.fetch ?? fetch)(input, init);
  };
  const identity = { kind: "local" as const, base_url: "local:.tunefile/local" };
  const stages: Record<StageName, StageDefinition> = { ...STAGES };
  for (const name of opts.disable ?? []) stages[name] = { ...stages[name], enabled: () => false };
  const events: RunEvent[] = [];
  const result = await execute({
    stages,
    pipeline,
    store: opened.store,
    provider: {
      identity,
      connect: async (): Promise<Provider> => {
        const server = await startLocalServer({
          port: 0,
          stateDir: path.join(root, ".tunefile/local"),
          ...(opts.faults ? { faults: opts.faults } : {}),
          ...opts.batches,
        });
        const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0, fetch: countingFetch });
        return {
          identity,
          client,
          files: openaiFiles(client),
          training: openaiTraining(client),
          deploymentOf: (model) => model,
          close: () => server.close(),
        };
      },
    },
    selection: {},
    options: { detach: false, force: false, yes: opts.yes ?? true },
    env,
    clock: systemClock,
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
  });
  return { result, events, chatRequests };
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LockfileStore } from "../../src/engine/lockfile/store.js";
import type { EvalResults } from "../../src/eval/types.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { startLocalServer } from "../../src/server/app.js";
import { countCachedAnswers } from "../../src/stages/evaluate-cached.js";
import { runEngine } from "../eval/engine-harness.js";
import { projectWith } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";

const pipeline = (url: string) => `version: 1
name: cross
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  candidates:
    - base
    - model: gpt-3.5-turbo-0125
      label: elsewhere
      provider: { kind: openai-compatible, base_url: "${url}", api_key_env: OTHER_SERVICE_KEY }
  params: { max_tokens: 12 }
  prompts:
    - user: "Tell me about Neon"
`;

describe("evaluate: a candidate on its own provider", () => {
  it("sends that candidate's requests to its service with its own credentials, redacted, in the same report", async () => {
    const other = await startLocalServer({
      port: 0,
      stateDir: await tempDir("other-service-"),
      apiKey: "sk-other-right-0123456789",
    });
    try {
      const root = await projectWith(pipeline(other.url));
      // The wrong key for the other service: its candidate fails with that service's 401, base still answers,
      // and the key appears nowhere.
      const wrong = "sk-other-wrong-9876543210";
      const refused = await runEngine(root, {
        disable: ["upload", "train", "deploy"],
        env: { OTHER_SERVICE_KEY: wrong },
      });
      expect(refused.result).toMatchObject({ kind: "failed", stage: "evaluate" });
      const first = JSON.parse(await readFile(path.join(root, "reports/cross/results.json"), "utf8")) as EvalResults;
      const cells = new Map(first.cells.map((c) => [c.candidate, c]));
      expect(cells.get("base")?.output).toEqual(expect.any(String));
      expect(cells.get("elsewhere")?.error?.code).toBe("invalid_api_key");
      expect(JSON.stringify(first)).not.toContain(wrong);

      const run = await runEngine(root, {
        disable: ["upload", "train", "deploy"],
        env: { OTHER_SERVICE_KEY: "sk-other-right-0123456789" },
      });
      expect(run.result).toEqual({ kind: "completed" });
      const results = JSON.parse(await readFile(path.join(root, "reports/cross/results.json"), "utf8")) as EvalResults;
      expect(results.summary.candidates.map((c) => c.label)).toEqual(["base", "elsewhere"]);
      const answered = new Map(results.cells.map((c) => [c.candidate, c]));
      expect(answered.get("elsewhere")?.output).toEqual(expect.any(String));
      expect(answered.get("elsewhere")?.error).toBeUndefined();

      // `tunefile plan` finds both answers in the cache, each under its own provider.
      const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
      if (!loaded.ok) throw new Error("pipeline did not load");
      const lock = await LockfileStore.open(loaded.pipeline.paths.lockfile, "p.lock.yaml", "cross");
      if (!lock.ok) throw new Error("lockfile did not open");
      const counted = await countCachedAnswers(
        loaded.pipeline,
        lock.store.snapshot().stages,
        { evaluate: "run" },
        { kind: "local", base_url: "local:.tunefile/local" },
        { OTHER_SERVICE_KEY: "sk-other-right-0123456789" },
      );
      expect(counted).toEqual({ requests: 2, fromCache: 2, toAsk: 0 });
    } finally {
      await other.close();
    }
  }, 120_000);
});

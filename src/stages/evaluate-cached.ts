import path from "node:path";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { PlanAction } from "../engine/events.js";
import type { StageName, StageRecord } from "../engine/stage.js";
import { cacheKey, ResponseCache } from "../eval/cache.js";
import { candidatesAndPrompts, configuredCandidates } from "../eval/candidates.js";
import { completionParams, messagesFor } from "../eval/run.js";
import type { ProviderIdentity } from "../providers/provider.js";
import { resolveProvider } from "../providers/resolve.js";
import type { Env } from "../core/env.js";
import type { EvalCandidate } from "../eval/types.js";
import { outputsOf } from "../engine/stage-io.js";

/** How many of the evaluation's answers the response cache already holds, as `tunefile plan` reports it. */
export interface CachedAnswers {
  /** Chat completions the evaluation makes (retained checkpoints are counted only once the train stage is fresh). */
  requests: number;
  fromCache: number;
  toAsk: number;
}

/**
 * Looks each request up in `<workDir>/cache` by the key the evaluation itself uses (provider, model, messages,
 * parameters), reading files only. A fine-tuned model that train has yet to produce has no answers cached, so its
 * requests all count as to ask; so do those of a prompt file that cannot be read now (the run reports why).
 */
export async function countCachedAnswers(
  pipeline: LoadedPipeline,
  records: Partial<Record<StageName, StageRecord>>,
  actions: Partial<Record<StageName, PlanAction>>,
  provider: ProviderIdentity,
  env: Env,
): Promise<CachedAnswers | undefined> {
  const evaluation = pipeline.config.evaluation;
  if (!evaluation) return undefined;
  const trainFresh = actions.train === "skip" || actions.train === "disabled";
  const train = trainFresh ? outputsOf("train", records.train) : undefined;
  const { candidates, prompts } = await candidatesAndPrompts(pipeline, evaluation, records.prepare, train);
  // The fine-tuned candidate of a train stage that will run again: not resolvable now, every answer is new.
  const unresolved = configuredCandidates(pipeline.config).filter(
    (c) => c === "fine_tuned" && !candidates.some((r) => r.kind === "fine_tuned"),
  ).length;
  const cache = await ResponseCache.open(path.join(pipeline.paths.workDir, "cache"));
  const params = completionParams(evaluation.params);
  let fromCache = 0;
  for (const candidate of candidates) {
    // A candidate on its own provider is cached under that provider (resolved without connecting); one whose
    // settings do not resolve now has nothing to find.
    const own = candidate.provider === undefined ? provider : candidateIdentity(pipeline, env, candidate.provider);
    if (!own) continue;
    for (const prompt of prompts) {
      const key = cacheKey({ provider: own, model: candidate.model, messages: messagesFor(candidate, prompt), params });
      if (await cache.get(key)) fromCache += 1;
    }
  }
  const requests = (candidates.length + unresolved) * prompts.length;
  return { requests, fromCache, toAsk: requests - fromCache };
}

function candidateIdentity(
  pipeline: LoadedPipeline,
  env: Env,
  provider: NonNullable<EvalCandidate["provider"]>,
): ProviderIdentity | undefined {
  const choice = resolveProvider({
    config: { ...pipeline.config, provider },
    env,
    root: pipeline.paths.root,
    pipelineDir: pipeline.paths.dir,
  });
  return choice.ok ? choice.identity : undefined;
}

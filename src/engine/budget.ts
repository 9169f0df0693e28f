import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { formatUsd } from "../core/format-usd.js";
import { pipelineEstimate } from "../data/cost.js";
import { outputsOf } from "./stage-io.js";
import type { PlanEntry } from "./events.js";
import type { PreviewInput, StageDefinition, StageName, StageRecord } from "./stage.js";

type BudgetVerdict = { kind: "within" } | { kind: "over"; message: string };

/**
 * The training estimate: the billing tokens prepare counted, with the epochs and training price the pipeline gives
 * now (see `pipelineEstimate`). Undefined when prepare has not run or the model has no known price.
 */
export function trainingEstimate(pipeline: LoadedPipeline, prepare: StageRecord | undefined): number | undefined {
  const outputs = outputsOf("prepare", prepare);
  if (!outputs?.estimate) return undefined;
  return pipelineEstimate(pipeline.config, outputs.train.examples, outputs.estimate.billing_tokens).usd ?? undefined;
}

/** Compares the estimate (training from prepare, plus any other stage's preview estimate) with `budget.max_usd`. */
export function checkBudget(pipeline: LoadedPipeline, estimateUsd: number | undefined): BudgetVerdict {
  const maxUsd = pipeline.config.budget?.max_usd;
  if (maxUsd === undefined || estimateUsd === undefined || estimateUsd <= maxUsd) {
    return { kind: "within" };
  }
  return {
    kind: "over",
    message: `the estimated cost ${formatUsd(estimateUsd)} exceeds budget.max_usd ${formatUsd(maxUsd)}`,
  };
}

/**
 * What a run is about to spend: the training estimate when train will run, plus the previewed cost of every other
 * paid stage (one that uses the provider) that will run: evaluation's completions. Stages that skip or only resume
 * cost nothing new, and unpaid stages (prepare) are not previewed here, which would repeat their work. Undefined
 * when nothing has a known cost.
 */
export async function plannedCost(
  stages: Record<StageName, StageDefinition>,
  pipeline: LoadedPipeline,
  entries: readonly PlanEntry[],
  trainingUsd: number | undefined,
  preview: Omit<PreviewInput, "action" | "record">,
): Promise<number | undefined> {
  let total: number | undefined;
  for (const entry of entries) {
    if (entry.action !== "run") continue;
    if (entry.stage === "train" && trainingUsd !== undefined) total = (total ?? 0) + trainingUsd;
    const def = stages[entry.stage];
    const usd =
      def.usesProvider && def.preview
        ? (await def.preview(pipeline, { ...preview, action: entry.action, record: undefined })).estimatedCostUsd
        : undefined;
    if (usd !== undefined) total = (total ?? 0) + usd;
  }
  return total;
}

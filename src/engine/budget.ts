import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { formatUsd } from "../core/format-usd.js";
import { pipelineEstimate } from "../data/cost.js";
import { outputsOf } from "./stage-io.js";
import type { PlanEntry } from "./events.js";
import type { PreviewInput, StageDefinition, StageName, StageRecord } from "./stage.js";

/** `unpriced`: a paid stage that will run has no known cost, so the budget cannot be held without the user's word. */
type BudgetVerdict = { kind: "within" } | { kind: "over" | "unpriced"; message: string };

/** What a run is about to spend: the part with known prices, and the paid stages that will run at unknown cost. */
export interface PlannedCost {
  usd: number | undefined;
  unpriced: StageName[];
}

/**
 * The training estimate: the billing tokens prepare counted, with the epochs and training price the pipeline gives
 * now (see `pipelineEstimate`). Undefined when prepare has not run or the model has no known price.
 */
export function trainingEstimate(pipeline: LoadedPipeline, prepare: StageRecord | undefined): number | undefined {
  const outputs = outputsOf("prepare", prepare);
  if (!outputs?.estimate) return undefined;
  return pipelineEstimate(pipeline.config, outputs.train.examples, outputs.estimate.billing_tokens).usd ?? undefined;
}

/**
 * Compares the planned cost with `budget.max_usd`. A paid stage of unknown cost (a model the price table does not
 * have and `prices:` does not give) counts as over: a budget is a promise about money, and it cannot be kept blind.
 */
export function checkBudget(pipeline: LoadedPipeline, cost: PlannedCost): BudgetVerdict {
  const maxUsd = pipeline.config.budget?.max_usd;
  if (maxUsd === undefined) return { kind: "within" };
  if (cost.unpriced.length > 0) {
    const known = cost.usd === undefined ? "" : ` (the rest: ${formatUsd(cost.usd)})`;
    const message = `the cost of ${cost.unpriced.join(" and ")} is unknown${known}, so budget.max_usd ${formatUsd(maxUsd)} cannot be checked: give the model's price in \`prices:\``;
    return { kind: "unpriced", message };
  }
  if (cost.usd === undefined || cost.usd <= maxUsd) return { kind: "within" };
  return {
    kind: "over",
    message: `the estimated cost ${formatUsd(cost.usd)} exceeds budget.max_usd ${formatUsd(maxUsd)}`,
  };
}

/**
 * What a run is about to spend: the training estimate when train will run, plus the previewed cost of every other
 * paid stage (one that uses the provider and previews its cost) that will run: evaluation's completions. Stages that
 * skip or only resume cost nothing new, and unpaid stages (prepare) are not previewed here, which would repeat their
 * work. A paid stage whose estimate is unknown is named in `unpriced`.
 */
export async function plannedCost(
  stages: Record<StageName, StageDefinition>,
  pipeline: LoadedPipeline,
  entries: readonly PlanEntry[],
  trainingUsd: number | undefined,
  preview: Omit<PreviewInput, "action" | "record">,
): Promise<PlannedCost> {
  let total: number | undefined;
  const unpriced: StageName[] = [];
  const add = (stage: StageName, usd: number | undefined) => {
    if (usd === undefined) unpriced.push(stage);
    else total = (total ?? 0) + usd;
  };
  for (const entry of entries) {
    if (entry.action !== "run") continue;
    const def = stages[entry.stage];
    if (entry.stage === "train") add("train", trainingUsd);
    else if (def.usesProvider && def.preview) {
      add(
        entry.stage,
        (await def.preview(pipeline, { ...preview, action: entry.action, record: undefined })).estimatedCostUsd,
      );
    }
  }
  return { usd: total, unpriced };
}

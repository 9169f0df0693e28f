import { createHash } from "node:crypto";
import { NotFoundError } from "openai";
import { deleteOnAzure, deployOnAzure } from "../deploy/azure.js";
import type { StageContext, StageError } from "../engine/stage.js";
import type { EvalCandidate } from "../eval/types.js";
import type { Provider } from "../providers/provider.js";
import { makeRedactor } from "../providers/redact.js";
import { askOneToken } from "./azure-preflight.js";
import { logLine } from "./log.js";

/**
 * Azure serves a fine-tuned model only through a deployment of it, and evaluate runs before deploy. So on Azure each
 * fine-tuned or checkpoint candidate is first deployed at the Developer tier, which Microsoft offers for testing a
 * fine-tuned model: billed per token with no hourly hosting fee, and deleted by Azure after 24 hours
 * (https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tune-test). The deployment's name comes from
 * the model, so a rerun after a crash PUTs the same one again instead of making another.
 */
export const EVALUATION_SKU = { sku: "developertier", capacity: 50 } as const;

/** The evaluation deployment of a model: `tunefile-eval-` and 16 hex digits of its hash (Azure allows 64 chars). */
export function evaluationDeploymentName(model: string): string {
  return `tunefile-eval-${createHash("sha256").update(model).digest("hex").slice(0, 16)}`;
}

/**
 * A new deployment can answer 404 for a few minutes after ARM says it succeeded (Azure's own message: "If you
 * created the deployment within the last 5 minutes, please wait a moment and try again"), and the evaluation counts
 * a 404 as permanent. So each one is asked for one token until it answers, for at most this long.
 */
const SERVING_WAIT_MS = 10 * 60_000;
const SERVING_POLL_MS = 15_000;

async function untilServing(ctx: StageContext, provider: Provider, name: string): Promise<void> {
  const deadline = ctx.clock.now().getTime() + SERVING_WAIT_MS;
  for (;;) {
    try {
      await askOneToken(provider, name, ctx.signal);
      return;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      // Anything else (or a 404 past the deadline) is the evaluation's to meet, retry and report.
      if (!(err instanceof NotFoundError) || ctx.clock.now().getTime() > deadline) return;
      ctx.emit({ type: "stage-progress", stage: "evaluate", message: `waiting for deployment ${name} to serve` });
      await ctx.clock.sleep(SERVING_POLL_MS, ctx.signal);
    }
  }
}

export type EvaluationDeployments =
  | { ok: true; candidates: EvalCandidate[]; provider: Provider; release(): Promise<void> }
  | { ok: false; error: StageError };

/**
 * On Azure, fine-tuned and checkpoint candidates get an evaluation deployment: the provider that comes back asks
 * their models through it (as provider.deployments does for the others), and each candidate records its name.
 * `release` deletes those deployments once the answers are in; one it cannot delete expires on its own.
 */
export async function deployForEvaluation(
  ctx: StageContext,
  provider: Provider,
  candidates: EvalCandidate[],
  /** Whether the candidate has answers the cache does not hold: one answered in full is not deployed again. */
  unanswered: (candidate: EvalCandidate) => Promise<boolean>,
): Promise<EvaluationDeployments> {
  const nothing = { ok: true as const, candidates, provider, release: async () => {} };
  if (provider.identity.kind !== "azure") return nothing;
  const trained: EvalCandidate[] = [];
  for (const c of candidates) {
    if (c.provider !== undefined || (c.kind !== "fine_tuned" && c.kind !== "checkpoint")) continue;
    if (await unanswered(c)) trained.push(c);
  }
  if (trained.length === 0) return nothing;
  const arm = ctx.pipeline.config.deploy?.azure;
  if (!arm) {
    const message = `on Azure a fine-tuned model is evaluated through a deployment: set deploy.azure (subscription_id, resource_group, account) so that evaluate can deploy ${trained[0]!.model} at the Developer tier`;
    return { ok: false, error: { code: "azure-evaluation-settings", message } };
  }
  const common = {
    settings: { ...arm, ...EVALUATION_SKU },
    env: ctx.env,
    clock: ctx.clock,
    signal: ctx.signal,
    redact: makeRedactor(ctx.env, ctx.pipeline.config),
    onRetry: (reason: string, delayMs: number, attempt: number) =>
      ctx.emit({ type: "retry", stage: "evaluate", attempt, delayMs, reason: `ARM deployment: ${reason}` }),
  };
  const names = new Map<string, string>();
  for (const model of new Set(trained.map((c) => c.model))) {
    const name = evaluationDeploymentName(model);
    ctx.emit({ type: "stage-progress", stage: "evaluate", message: `deploying ${model} as ${name} for evaluation` });
    const made = await deployOnAzure({ ...common, name, model });
    if (!made.ok) {
      return { ok: false, error: { code: made.code, message: `evaluation deployment of ${model}: ${made.message}` } };
    }
    await untilServing(ctx, provider, made.name);
    names.set(model, made.name);
  }
  const release = async () => {
    for (const [model, name] of names) {
      const gone = await deleteOnAzure({ ...common, name });
      if (!gone.ok)
        logLine(
          ctx,
          `could not delete the evaluation deployment ${name} of ${model} (${gone.message}); Azure deletes it after 24 hours`,
          "warn",
        );
    }
  };
  const recorded = candidates.map((c) =>
    names.has(c.model) && c.provider === undefined ? { ...c, deployment: names.get(c.model)! } : c,
  );
  const asking = { ...provider, deploymentOf: (model: string) => names.get(model) ?? provider.deploymentOf(model) };
  return { ok: true, candidates: recorded, provider: asking, release };
}

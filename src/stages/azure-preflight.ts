import { NotFoundError } from "openai";
import { candidateShapes } from "../config/rules/candidates.js";
import type { Pipeline } from "../core/pipeline.generated.js";
import type { Provider } from "../providers/provider.js";
import type { RemoteCall } from "../providers/remote-call.js";

/** What to do about a deployment Azure does not have (its own message says only that it does not exist). */
export const DEPLOYMENT_HINT =
  "on Azure a model is asked through a deployment: make one named as the model, or name yours in provider.deployments: { <model>: <deployment> }";

/**
 * The models an evaluation asks by their own name on the pipeline's provider: the base model (base and few-shot
 * candidates, and the default judge), named models without a provider of their own, and every llm-judge's model.
 * Fine-tuned and checkpoint candidates are not here: on Azure evaluate deploys those itself.
 */
export function modelsAskedByName(config: Pipeline): string[] {
  const evaluation = config.evaluation;
  if (!evaluation) return [];
  const models = new Set<string>();
  for (const c of candidateShapes(evaluation.candidates) ?? []) {
    if (c.kind === "base" || c.kind === "few_shot") models.add(config.model);
    if (c.model !== undefined && !c.elsewhere) models.add(c.model);
  }
  const judge = evaluation.judge?.model ?? config.model;
  // Graders are each prompt's own and evaluation.assert's (applied to every prompt).
  for (const grader of [...(evaluation.assert ?? []), ...evaluation.prompts.flatMap((p) => p.assert ?? [])]) {
    const llmJudge = grader["llm-judge"];
    if (llmJudge) models.add(llmJudge.model ?? judge);
  }
  return [...models];
}

/**
 * On Azure every model answers only through a deployment, and evaluate runs after the paid training job. So before
 * that job is created, each deployment the evaluation will ask by a model's name (through provider.deployments, else
 * the model's own name) is asked for one token, and the ones Azure does not have come back: a missing deployment or
 * map entry shows before hours of training, not after. Any other answer, an error included, is not about the name
 * and is left to the evaluation.
 */
export async function missingEvaluationDeployments(
  config: Pipeline,
  provider: Provider,
  call: RemoteCall,
): Promise<string[]> {
  if (provider.identity.kind !== "azure") return [];
  const missing: string[] = [];
  for (const model of modelsAskedByName(config)) {
    const name = provider.deploymentOf(model);
    try {
      await call(`deployment check (${name})`, (signal) => askOneToken(provider, name, signal));
    } catch (err) {
      if (err instanceof NotFoundError) missing.push(name === model ? name : `${name} (for ${model})`);
    }
  }
  return missing;
}

/** The cheapest question a deployment can be asked: whether it answers at all (about ten billed tokens). */
export function askOneToken(provider: Provider, deployment: string, signal: AbortSignal) {
  const ping = { model: deployment, messages: [{ role: "user" as const, content: "ping" }], max_completion_tokens: 1 };
  return provider.client.chat.completions.create(ping, { signal });
}

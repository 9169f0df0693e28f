import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { candidateShapes } from "./candidates.js";
import { at, providerKind, type Rule } from "./context.js";

/** Providers that train adapters on open models and take an absolute learning rate. */
const OPEN_PROVIDERS = new Set(["together", "nebius"]);

/**
 * `azure-evaluation-settings`: on Azure, fine-tuned candidates without `deploy.azure` to deploy them for the evaluation.
 *
 * `unsupported-setting`: a setting the chosen provider does not have, with what to use instead. OpenAI, Azure and
 * the local provider take a learning-rate multiplier and have no LoRA setting; Together and Nebius take an absolute
 * learning rate; only Azure asks models through named deployments and deploys with `deploy.azure`; Azure's Batch API
 * is not driven (below).
 */
export const settingsRule: Rule = async ({ value, kind, locate }) => {
  const out: Diagnostic[] = [];
  const problem = (path: (string | number)[], message: string, hint: string) =>
    out.push({
      severity: "error",
      code: "unsupported-setting",
      message,
      span: locate.span(path, { atKey: true }),
      hint,
    });
  const shown = kind === "auto" ? "openai or local (auto)" : kind;
  // Provider settings go only to the pipeline's own kind (another --provider drops them), so they are checked
  // against it.
  const own = providerKind(value);
  if (own !== "azure" && at(value, "provider", "deployments") !== undefined) {
    problem(
      ["provider", "deployments"],
      `provider ${own === "auto" ? "openai or local (auto)" : own} has no deployments: requests name the model itself`,
      "remove `provider.deployments` (it maps models to Azure deployments)",
    );
  }
  // A model is deployed on the Azure resource it was trained on; with another --provider, deploy.azure is dropped.
  if (own !== "azure" && kind !== "azure" && at(value, "deploy", "azure") !== undefined) {
    problem(
      ["deploy", "azure"],
      `provider ${shown} trains no model on an Azure resource, so deploy.azure has nothing to deploy`,
      "remove `deploy.azure`, or train on `provider: { kind: azure }`",
    );
  }
  // Azure's Batch API differs from OpenAI's: it needs a Global-Batch deployment per model, which a fine-tuned
  // model's Developer deployment is not, and documents its own request path (`/chat/completions`,
  // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/batch). Refused rather than sent to fail and be asked
  // again synchronously.
  if (kind === "azure" && at(value, "evaluation", "mode") === "batch") {
    problem(
      ["evaluation", "mode"],
      "tunefile does not send evaluation batches to Azure (its Batch API needs Global-Batch deployments)",
      "use `evaluation.mode: sync` on Azure",
    );
  }
  if (kind === "openai-compatible") return out;
  const open = OPEN_PROVIDERS.has(kind);
  if (!open && at(value, "training", "lora") !== undefined) {
    problem(
      ["training", "lora"],
      `provider ${shown} has no LoRA setting`,
      "remove `training.lora`, or train on `provider: { kind: together }` or `{ kind: nebius }`",
    );
  }
  if (!open && at(value, "training", "hyperparameters", "learning_rate") !== undefined) {
    problem(
      ["training", "hyperparameters", "learning_rate"],
      `provider ${shown} takes a learning-rate multiplier, not an absolute rate`,
      "use `training.hyperparameters.learning_rate_multiplier` (e.g. 2), or auto",
    );
  }
  if (open && at(value, "training", "hyperparameters", "learning_rate_multiplier") !== undefined) {
    problem(
      ["training", "hyperparameters", "learning_rate_multiplier"],
      `provider ${kind} takes an absolute learning rate, not a multiplier`,
      "use `training.hyperparameters.learning_rate` (e.g. 0.00001), or leave it to the provider",
    );
  }
  // Azure serves a fine-tuned model only through a deployment, and evaluate runs before deploy: it deploys the model
  // for the evaluation with deploy.azure's ARM settings. Caught here, not after the paid training job.
  const trained = candidateShapes(at(value, "evaluation", "candidates"))?.some(
    (c) => c.kind === "fine_tuned" || c.kind === "checkpoint",
  );
  if (
    kind === "azure" &&
    at(value, "evaluation") !== undefined &&
    trained &&
    at(value, "deploy", "azure") === undefined
  ) {
    out.push({
      severity: "error",
      code: "azure-evaluation-settings",
      message:
        "on Azure, evaluating a fine-tuned model needs a deployment of it, and there are no ARM settings to make one",
      span: locate.span(["evaluation"], { atKey: true }),
      hint: "add `deploy: { alias: <name>, azure: { subscription_id, resource_group, account } }` (evaluate deploys the model at the Developer tier, then deletes it), or evaluate only base and named models",
    });
  }
  return out;
};

import { displayPathOf, relativePosix } from "../core/display-path.js";
import { pipelineProviderSettings } from "../providers/settings.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { deployOnAzure } from "../deploy/azure.js";
import {
  aliasState,
  type DeploymentEntry,
  describeMoved,
  deploymentFilePath,
  pushDeployment,
  readDeployments,
  writeDeployments,
} from "../deploy/record.js";
import type { StageContext, StageDefinition, StageOutcome, StageRecord, StageName } from "../engine/stage.js";
import { makeRedactor } from "../providers/redact.js";
import { type DeployOutputs, outputsOf } from "../engine/stage-io.js";
import { logLine } from "./log.js";

/** The model to ship: what evaluate chose (its gate's candidate), else the trained or named fine-tuned model. */
function modelToDeploy(
  pipeline: LoadedPipeline,
  upstream: Partial<Record<StageName, StageRecord>>,
): string | undefined {
  const evaluated = outputsOf("evaluate", upstream.evaluate);
  if (evaluated?.deploy_model) return evaluated.deploy_model;
  const trained = outputsOf("train", upstream.train);
  return trained?.fine_tuned_model ?? pipeline.config.training?.fine_tuned_model;
}

/**
 * The deploy stage: points the alias in `deployments/<name>.json` at the gated model (keeping the earlier targets
 * for rollback), and on Azure creates the model deployment through the ARM API first. It runs only when evaluate's
 * gate passed: a failed gate halts the run before it.
 */
export const deployStage: StageDefinition<DeployOutputs> = {
  name: "deploy",
  version: 1,
  enabled: (pipeline) => pipeline.config.deploy !== undefined,
  fingerprintInput: async (pipeline, upstream) => ({
    config: { deploy: pipeline.config.deploy, model: modelToDeploy(pipeline, upstream) ?? null },
  }),
  // The record is a file in the project: if someone deleted it, deploy again.
  outputsPresent: async (pipeline) => {
    const file = deploymentFilePath(pipeline.paths.deploymentsDir, pipeline.config.name);
    return (await readDeployments(file))?.current != null;
  },
  // An alias moved away from the recorded model (`tunefile rollback`) means deploy is not fresh, but a plain run
  // does not undo a rollback: rollback is a decision. `--from deploy` ships the recorded model again.
  keptNote: async (pipeline, record) => {
    const file = deploymentFilePath(pipeline.paths.deploymentsDir, pipeline.config.name);
    const state = await aliasState(file, outputsOf("deploy", record)?.model);
    if (state.kind !== "moved") return undefined;
    return `not fresh, kept: ${describeMoved(state)} (\`--from deploy\` deploys ${state.recorded} again)`;
  },
  run: runDeploy,
};

async function runDeploy(ctx: StageContext): Promise<StageOutcome<DeployOutputs>> {
  const { pipeline } = ctx;
  const deploy = pipeline.config.deploy;
  if (!deploy) return { kind: "succeeded", outputs: {} };
  const model = modelToDeploy(pipeline, ctx.upstream);
  if (!model) {
    const message = "nothing to deploy: no evaluated, trained or named fine-tuned model (training.fine_tuned_model)";
    return { kind: "failed", error: { code: "deploy-no-model", message } };
  }
  const evaluated = outputsOf("evaluate", ctx.upstream.evaluate);
  if (evaluated?.gate?.status === "failed") {
    // The engine halts before deploy when the gate fails; this guards a forced `--only deploy`.
    return {
      kind: "failed",
      error: { code: "gate-not-met", message: "the evaluation gate was not met; not deploying" },
    };
  }
  const entry: DeploymentEntry = { model, fingerprint: ctx.fingerprint, deployed_at: ctx.clock.now().toISOString() };
  const { candidates, gate } = evaluated ?? {};
  if (candidates && gate) entry.evaluation = { candidates, gate };

  // Only a model trained on an Azure resource can be deployed there: with another provider (`--provider local` on an
  // Azure pipeline, say; the session's pipeline names the provider the run uses) deploy.azure is left out.
  const { kind } = pipelineProviderSettings(pipeline.config);
  const onAzure = kind === "azure";
  if (!onAzure && deploy.azure) logLine(ctx, `no Azure deployment: the model is on provider ${kind}`);
  if (onAzure) {
    const settings = deploy.azure;
    if (!settings) {
      const message =
        "the provider is Azure: set deploy.azure (subscription_id, resource_group, account) to create the deployment";
      return { kind: "failed", error: { code: "deploy-azure-settings", message } };
    }
    const name = settings.deployment_name ?? deploy.alias;
    ctx.emit({ type: "stage-progress", stage: "deploy", message: `creating Azure deployment ${name}` });
    const result = await deployOnAzure({
      settings,
      name,
      model,
      env: ctx.env,
      clock: ctx.clock,
      signal: ctx.signal,
      redact: makeRedactor(ctx.env, ctx.pipeline.config),
      onRetry: (reason, delayMs, attempt) =>
        ctx.emit({ type: "retry", stage: "deploy", attempt, delayMs, reason: `ARM deployment: ${reason}` }),
    });
    if (!result.ok) return { kind: "failed", error: { code: result.code, message: result.message } };
    entry.azure = { id: result.id, name: result.name };
  }

  const file = deploymentFilePath(pipeline.paths.deploymentsDir, pipeline.config.name);
  const { record, changed } = pushDeployment(await readDeployments(file), deploy.alias, pipeline.config.name, entry);
  if (changed) await writeDeployments(file, record);
  const shown = relativePosix(pipeline.paths.root, file);
  const where = displayPathOf(file, pipeline.paths.displayBase);
  logLine(ctx, changed ? `${deploy.alias} → ${model} (${where})` : `${deploy.alias} already points at ${model}`);
  const outputs: DeployOutputs = { alias: deploy.alias, model, deployments_file: shown };
  if (entry.azure) outputs.azure_deployment = entry.azure.name;
  return { kind: "succeeded", outputs };
}

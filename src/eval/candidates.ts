import type { Candidate, Evaluation, Pipeline } from "../core/pipeline.generated.js";
import { DEFAULT_CANDIDATES } from "../config/rules/candidates.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { StageRecord } from "../engine/stage.js";
import { expandPrompts } from "./prompts.js";
import { sampleTrainingData } from "./training-examples.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { EvalCandidate, EvalMessage, EvalPrompt } from "./types.js";
import type { TrainOutputs } from "../engine/stage-io.js";

/** The configured candidates, or the default pair. */
export function configuredCandidates(config: Pipeline): Candidate[] {
  return config.evaluation?.candidates ?? [...DEFAULT_CANDIDATES];
}

/** The largest k of the few_shot candidates (0 when there are none): how many training examples to sample. */
export function fewShotCount(config: Pipeline): number {
  return Math.max(
    0,
    ...configuredCandidates(config).map((c) => (typeof c === "object" && "few_shot" in c ? c.few_shot : 0)),
  );
}

/** A checkpoint's label: `checkpoint:step-N` from the `:ckpt-step-N` suffix, else its position. */
export function checkpointLabel(model: string, index: number): string {
  const step = /:ckpt-step-(\d+)$/.exec(model);
  return step ? `checkpoint:step-${step[1]}` : `checkpoint:${index + 1}`;
}

/**
 * Resolves `evaluation.candidates` to models:
 * - `base`: the pipeline's model;
 * - `fine_tuned`: the train stage's model, else `training.fine_tuned_model`;
 * - `{fine_tuned: id}`: that model, labelled fine_tuned (no training needed);
 * - `{few_shot: k}`: the base model with the first k of the sampled training examples as earlier turns;
 * - `checkpoints`: every retained checkpoint the train stage recorded;
 * - `{model: id, label}`: any model, labelled as given (default: the id).
 * Problems (no fine-tuned model known, duplicate labels) are diagnostics; no checkpoints is a warning.
 */
export function resolveCandidates(
  config: Pipeline,
  train: Pick<TrainOutputs, "fine_tuned_model" | "checkpoints"> | undefined,
  shots: readonly EvalMessage[][],
): { candidates: EvalCandidate[]; diagnostics: Diagnostic[] } {
  const candidates: EvalCandidate[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of configuredCandidates(config)) {
    if (c === "base") candidates.push({ label: "base", kind: "base", model: config.model });
    else if (c === "fine_tuned") {
      const model = train?.fine_tuned_model ?? config.training?.fine_tuned_model;
      if (model) candidates.push({ label: "fine_tuned", kind: "fine_tuned", model });
      else
        diagnostics.push({
          severity: "error",
          code: "eval-no-fine-tuned-model",
          message: "candidate fine_tuned has no model: the train stage recorded none",
          hint: "run the train stage, or name an existing model with `training.fine_tuned_model` or `{fine_tuned: <model id>}`",
        });
    } else if (c === "checkpoints") {
      const list = train?.checkpoints ?? [];
      if (list.length === 0) {
        diagnostics.push({
          severity: "warning",
          code: "eval-no-checkpoints",
          message: "candidate checkpoints: the train stage recorded no retained checkpoints",
        });
      }
      list.forEach((model, i) => {
        candidates.push({ label: checkpointLabel(model, i), kind: "checkpoint", model });
      });
    } else if ("few_shot" in c) {
      const picked = shots.slice(0, c.few_shot);
      if (picked.length < c.few_shot) {
        diagnostics.push({
          severity: "warning",
          code: "eval-few-shot-short",
          message: `few_shot: ${c.few_shot} asked for, but the training data has only ${picked.length} usable examples`,
        });
      }
      candidates.push({ label: `few_shot:${c.few_shot}`, kind: "few_shot", model: config.model, shots: picked.flat() });
    } else if ("fine_tuned" in c) candidates.push({ label: "fine_tuned", kind: "fine_tuned", model: c.fine_tuned });
    else {
      const provider = c.provider !== undefined ? { provider: c.provider } : {};
      candidates.push({ label: c.label ?? c.model, kind: "model", model: c.model, ...provider });
    }
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.label)) {
      diagnostics.push({
        severity: "error",
        code: "eval-duplicate-candidate",
        message: `two candidates are named ${JSON.stringify(c.label)}`,
        hint: "give `{model: id}` candidates distinct `label`s",
      });
    }
    seen.add(c.label);
  }
  return { candidates, diagnostics };
}

/** The candidates and prompts of the evaluation (the run's and plan's alike), with what is wrong with them. */
export async function candidatesAndPrompts(
  pipeline: LoadedPipeline,
  evaluation: Evaluation,
  prepare: StageRecord | undefined,
  train: Pick<TrainOutputs, "fine_tuned_model" | "checkpoints"> | undefined,
): Promise<{ candidates: EvalCandidate[]; prompts: EvalPrompt[]; diagnostics: Diagnostic[] }> {
  const sample = await sampleTrainingData(pipeline, prepare, fewShotCount(pipeline.config));
  const resolved = resolveCandidates(pipeline.config, train, sample.shots);
  const expanded = await expandPrompts({
    evaluation,
    pipelineDir: pipeline.paths.dir,
    displayBase: pipeline.paths.root,
    defaultSystem: sample.system,
  });
  const diagnostics = [...resolved.diagnostics, ...expanded.diagnostics];
  return { candidates: resolved.candidates, prompts: expanded.prompts, diagnostics };
}

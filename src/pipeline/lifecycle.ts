import { fineTuningLifecycle } from "../core/catalog/lifecycle.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * A warning, once, when the pipeline trains on a provider that stops taking new fine-tuning jobs within 90 days or
 * already has, naming the date and the alternatives. `validate`, `plan`, `run` and `watch` show it.
 */
export function lifecycleWarnings(pipeline: LoadedPipeline, kind: string, now: Date | undefined): Diagnostic[] {
  if (!now || pipeline.config.training?.fine_tuned_model) return [];
  const state = fineTuningLifecycle(kind, now);
  return state.kind === "open" ? [] : [{ severity: "warning", code: "provider-closing", message: state.message }];
}

import type { TrainerApi } from "./trainer/types.js";

/**
 * Loads the tiny trainer (src/server/trainer/index.ts, built against the TrainerApi contract). Imported on first
 * server start only, so CLI commands that never serve do not load it.
 */
export async function loadTrainer(): Promise<TrainerApi> {
  // TODO(trainer): switch to a static `import * as trainer from "./trainer/index.js"` once that module is committed;
  // until then the specifier is a variable so type-checking does not depend on another helper's work in progress.
  const specifier = "./trainer/index.js";
  const mod = (await import(specifier)) as TrainerApi;
  return { startTraining: mod.startTraining, baseModel: mod.baseModel, generate: mod.generate };
}

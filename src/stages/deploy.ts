import type { StageDefinition } from "../engine/stage.js";

/** The deploy stage. Placeholder until its issue lands: it fails plainly instead of pretending. */
export const deployStage: StageDefinition = {
  name: "deploy",
  version: 1,
  enabled: () => true,
  fingerprintInput: async (pipeline) => ({ config: { model: pipeline.config.model } }),
  run: async () => ({ kind: "failed", error: { code: "not-built", message: "the deploy stage is not built yet" } }),
};

import type { StageDefinition } from "../engine/stage.js";

/** The train stage. Placeholder until its issue lands: it fails plainly instead of pretending. */
export const trainStage: StageDefinition = {
  name: "train",
  version: 1,
  enabled: () => true,
  fingerprintInput: async (pipeline) => ({ config: { model: pipeline.config.model } }),
  run: async () => ({ kind: "failed", error: { code: "not-built", message: "the train stage is not built yet" } }),
};

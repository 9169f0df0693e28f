import type { StageDefinition } from "../engine/stage.js";

/** The evaluate stage. Placeholder until its issue lands: it fails plainly instead of pretending. */
export const evaluateStage: StageDefinition = {
  name: "evaluate",
  version: 1,
  enabled: () => true,
  fingerprintInput: async (pipeline) => ({ config: { model: pipeline.config.model } }),
  run: async () => ({ kind: "failed", error: { code: "not-built", message: "the evaluate stage is not built yet" } }),
};

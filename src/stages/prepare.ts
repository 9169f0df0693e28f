import type { StageDefinition } from "../engine/stage.js";

/** The prepare stage. Placeholder until its issue lands: it fails plainly instead of pretending. */
export const prepareStage: StageDefinition = {
  name: "prepare",
  version: 1,
  enabled: () => true,
  fingerprintInput: async (pipeline) => ({ config: { model: pipeline.config.model } }),
  run: async () => ({ kind: "failed", error: { code: "not-built", message: "the prepare stage is not built yet" } }),
};

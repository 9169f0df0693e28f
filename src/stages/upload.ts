import type { StageDefinition } from "../engine/stage.js";

/** The upload stage. Placeholder until its issue lands: it fails plainly instead of pretending. */
export const uploadStage: StageDefinition = {
  name: "upload",
  version: 1,
  enabled: () => true,
  fingerprintInput: async (pipeline) => ({ config: { model: pipeline.config.model } }),
  run: async () => ({ kind: "failed", error: { code: "not-built", message: "the upload stage is not built yet" } }),
};

import type { StageDefinition, StageName } from "../engine/stage.js";
import { deployStage } from "./deploy.js";
import { evaluateStage } from "./evaluate.js";
import { prepareStage } from "./prepare.js";
import { trainStage } from "./train.js";
import { uploadStage } from "./upload.js";

/** Every stage by name; the executor walks them in STAGE_NAMES order. */
export const STAGES: Record<StageName, StageDefinition> = {
  prepare: prepareStage,
  upload: uploadStage,
  train: trainStage,
  evaluate: evaluateStage,
  deploy: deployStage,
};

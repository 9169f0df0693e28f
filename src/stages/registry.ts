import type { StageDefinition, StageName } from "../engine/stage.js";
import type { StageOutputs } from "../engine/stage-io.js";
import { deployStage } from "./deploy.js";
import { evaluateStage } from "./evaluate.js";
import { prepareStage } from "./prepare.js";
import { trainStage } from "./train.js";
import { uploadStage } from "./upload.js";

/** Every stage by name; the executor walks them in STAGE_NAMES order. */
export const STAGES: { [S in StageName]: StageDefinition<StageOutputs[S]> } = {
  prepare: prepareStage,
  upload: uploadStage,
  train: trainStage,
  evaluate: evaluateStage,
  deploy: deployStage,
};

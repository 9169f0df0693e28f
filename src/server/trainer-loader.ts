import * as trainer from "./trainer/index.js";
import type { TrainerApi } from "./trainer/types.js";

/** The tiny trainer (src/server/trainer), seen only through its TrainerApi contract. */
export async function loadTrainer(): Promise<TrainerApi> {
  return {
    startTraining: trainer.startTraining,
    baseModel: trainer.baseModel,
    generate: trainer.generate,
    generateJson: trainer.generateJson,
  };
}

import type { ModelSnapshot, StepMetrics, TrainConfig, TrainingExample } from "../trainer/types.js";

/** Messages from the job runner to its training worker (train-worker.ts); each gets exactly one reply, in order. */
export type TrainWorkerRequest =
  | { kind: "start"; train: TrainingExample[]; validation: TrainingExample[] | undefined; config: TrainConfig }
  | { kind: "step"; withSnapshot: boolean }
  | { kind: "snapshot" };

/** Replies from the training worker. `error` carries a trainer exception (a bug) back to the runner. */
export type TrainWorkerReply =
  | { kind: "started"; totalSteps: number; stepsPerEpoch: number; tokensPerEpoch: number }
  | { kind: "stepped"; metrics: StepMetrics; snapshot: ModelSnapshot | undefined }
  | { kind: "snapshot"; snapshot: ModelSnapshot }
  | { kind: "error"; message: string };

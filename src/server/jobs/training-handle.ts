import type { ModelSnapshot, StepMetrics, TrainConfig, TrainingExample } from "../trainer/types.js";
import type { JobData } from "./job-data.js";

/** One trainer step as the job runner sees it: the batch's metrics, and the model after it when asked for. */
export interface StepResult {
  metrics: StepMetrics;
  snapshot?: ModelSnapshot;
}

/**
 * A training run seen from the job runner; it executes in a worker thread (worker-training.ts). Every call is
 * asynchronous so the run never blocks the event loop.
 */
export interface TrainingHandle {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  readonly stepsDone: number;
  /** Trains on the next batch; with `withSnapshot`, also returns the model after this step. */
  step(withSnapshot: boolean): Promise<StepResult>;
  snapshot(): Promise<ModelSnapshot>;
  /** Frees the run (terminates its worker). Idempotent. */
  close(): Promise<void>;
}

/** Starts a training run; rejects when the trainer throws (a bug) or the run is closed before it started. */
export type StartTraining = (
  train: TrainingExample[],
  validation: TrainingExample[] | undefined,
  config: TrainConfig,
  /** Aborting it stops a start in progress (the promise rejects). */
  signal: AbortSignal,
) => Promise<TrainingHandle>;

/** Messages from the job runner to its training worker (train-worker.ts); each gets exactly one reply, in order. */
export type TrainWorkerRequest =
  | { kind: "start"; train: TrainingExample[]; validation: TrainingExample[] | undefined; config: TrainConfig }
  | { kind: "step"; withSnapshot: boolean }
  | { kind: "snapshot" };

/** Replies from the training worker. `error` carries a trainer exception (a bug) back to the runner. */
export type TrainWorkerReply =
  | { kind: "started"; totalSteps: number; stepsPerEpoch: number }
  | { kind: "stepped"; metrics: StepMetrics; snapshot: ModelSnapshot | undefined }
  | { kind: "snapshot"; snapshot: ModelSnapshot }
  | { kind: "error"; message: string };

/** A training run kept in memory while its job is paused, so resume continues where it stopped. */
export interface LiveRun {
  run: TrainingHandle;
  data: Extract<JobData, { ok: true }>;
  /** Model states at the ends of the last epochs, published as checkpoints when the job succeeds. */
  epochEnds: { step: number; metrics: StepMetrics; snapshot: ModelSnapshot }[];
  /** A step that completed after the job was paused; recorded when it resumes. */
  parked?: StepResult;
}

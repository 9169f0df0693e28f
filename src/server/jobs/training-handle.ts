import type { ModelSnapshot, StepMetrics, TrainConfig, TrainerApi, TrainingExample } from "../trainer/types.js";

/** One trainer step as the job runner sees it: the batch's metrics, and the model after it when asked for. */
export interface StepResult {
  metrics: StepMetrics;
  snapshot?: ModelSnapshot;
}

/**
 * A training run seen from the job runner, wherever it executes (a worker thread, or this thread when no compiled
 * worker script exists). Every call is asynchronous so a worker-backed run never blocks the event loop.
 */
export interface TrainingHandle {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  /** Billable tokens of one pass over the training data. */
  readonly tokensPerEpoch: number;
  /** Steps done so far. */
  readonly stepsDone: number;
  /** Trains on the next batch; with `withSnapshot`, also returns the model after this step. */
  step(withSnapshot: boolean): Promise<StepResult>;
  /** The model as trained so far. */
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

/**
 * Runs the trainer on the calling thread. Used when there is no compiled worker script (tests running the
 * TypeScript sources); the metrics and models are the same as in a worker, only the event loop waits.
 */
export function inThreadTraining(trainer: TrainerApi): StartTraining {
  return async (train, validation, config) => {
    const run = trainer.startTraining(train, validation, config);
    return {
      totalSteps: run.totalSteps,
      stepsPerEpoch: run.stepsPerEpoch,
      tokensPerEpoch: run.tokensPerEpoch,
      get stepsDone() {
        return run.stepsDone;
      },
      async step(withSnapshot) {
        const metrics = run.step();
        return withSnapshot ? { metrics, snapshot: run.snapshot() } : { metrics };
      },
      async snapshot() {
        return run.snapshot();
      },
      async close() {},
    };
  };
}

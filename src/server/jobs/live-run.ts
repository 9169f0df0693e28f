import type { ModelSnapshot, StepMetrics } from "../trainer/types.js";
import type { JobData } from "./job-data.js";
import type { StepResult, TrainingHandle } from "./training-handle.js";

/** A training run kept in memory while its job is paused, so resume continues where it stopped. */
export interface LiveRun {
  run: TrainingHandle;
  data: Extract<JobData, { ok: true }>;
  /** Model states at the ends of the last epochs, published as checkpoints when the job succeeds. */
  epochEnds: { step: number; metrics: StepMetrics; snapshot: ModelSnapshot }[];
  /** A step that completed after the job was paused; recorded when it resumes. */
  parked?: StepResult;
}

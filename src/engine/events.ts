import type { StageError, StageName, StageStatus } from "./stage-record.js";

/** Why the plan gives a stage the action it does. */
export type PlanAction = "run" | "skip" | "resume" | "disabled";

export interface PlanEntry {
  stage: StageName;
  action: PlanAction;
  /** Human reason, e.g. "fresh (fingerprint 3f2a9c matches)" or "config changed: training.hyperparameters". */
  reason: string;
  fingerprint: string;
}

/**
 * Everything the executor tells the outside world. Reporters (listr2, plain lines, NDJSON) only display these;
 * they never drive the run.
 */
export type RunEvent =
  | { type: "plan"; entries: PlanEntry[] }
  /** `reason`: why it runs now (the plan's, or what the check of a fresh stage's outputs found). */
  | { type: "stage-start"; stage: StageName; action: "run" | "resume"; reason: string }
  | { type: "stage-skip"; stage: StageName; reason: string }
  | {
      type: "stage-progress";
      stage: StageName;
      message: string;
      step?: number;
      totalSteps?: number;
      loss?: number;
      etaSeconds?: number;
    }
  | { type: "stage-log"; stage: StageName; level: "info" | "warn" | "error"; message: string }
  | { type: "retry"; stage: StageName | undefined; attempt: number; delayMs: number; reason: string }
  | { type: "stage-end"; stage: StageName; status: StageStatus | "detached"; error?: StageError; summary?: string }
  | { type: "run-end"; exitCode: number; message: string };

// Stage names and the lockfile record of a stage: a leaf, so that events, the lockfile and the stage contract can
// all use them without importing one another.

/** Stages in execution order. Upstream always comes first. */
export const STAGE_NAMES = ["prepare", "upload", "train", "evaluate", "deploy"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type StageStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled";

/** A failure recorded in the lockfile: the provider's code and message, or ours. Never a secret. */
export interface StageError {
  code: string;
  message: string;
}

/** One stage's entry in the lockfile. */
export interface StageRecord {
  fingerprint: string;
  status: StageStatus;
  attempts: number;
  started_at?: string;
  finished_at?: string;
  /** Remote ids known so far (upload ids, job id, intent markers); written the instant they are known. */
  checkpoint?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: StageError;
  /**
   * Short hash per fingerprint component (config keys, files, upstream stages, provider, version), so that the next
   * plan can name what changed. Written by the engine; absent in records from before it existed.
   */
  fingerprint_parts?: Record<string, string>;
}

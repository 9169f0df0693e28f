import type { CostEstimate } from "../data/cost.js";
import type { SetStats } from "../data/stats.js";
import type { Lockfile } from "../core/lockfile.generated.js";
import type { StageName, StageRecord } from "./stage-record.js";

/** Which service did the work (never a secret). */
type ProviderIdentity = NonNullable<Lockfile["provider"]>;

// What each stage records in the lockfile: its outputs (read by the stages downstream, status and the reports) and
// its checkpoint (remote ids, written the instant they are known). Object types, not interfaces, so that they fit
// the lockfile's `{ [key: string]: unknown }` without a cast.

/** A file the prepare stage wrote, relative to the project root. */
export type PreparedFile = {
  path: string;
  sha256: string;
  examples: number;
  tokens: number;
  billing_tokens: number;
};

export type PrepareOutputs = {
  train: PreparedFile;
  validation?: PreparedFile;
  stats: { encoding: string; max_tokens_per_example: number; train: SetStats; validation?: SetStats };
  estimate: CostEstimate;
  /** The training estimate in US dollars at the prices of prepare's run; the budget prices the tokens again with today's. */
  estimated_cost_usd?: number;
};

/** An uploaded file in the outputs, keyed by content sha256. */
export type UploadedFile = {
  id: string;
  filename: string;
  bytes: number;
  role: "train" | "validation";
};

/** The upload stage's outputs, read by train. */
export type UploadOutputs = {
  files: Record<string, UploadedFile>;
  train_file_id: string;
  validation_file_id?: string;
};

/** Checkpoint: which provider, the files known so far, and multipart uploads in flight (by sha256). */
export type UploadCheckpoint = {
  provider?: ProviderIdentity;
  files?: Record<string, UploadedFile>;
  parts?: Record<string, { upload_id: string; part_ids: string[]; part_bytes: number }>;
};

/** The train stage's outputs in the lockfile (at least job_id, fine_tuned_model, trained_tokens). */
export type TrainOutputs = {
  job_id: string;
  status: string;
  /** The base snapshot the service resolved, e.g. gpt-4o-mini-2024-07-18. */
  base_model: string;
  fine_tuned_model: string;
  trained_tokens: number | null;
  /** Checkpoint model names, oldest step first; each can be evaluated like a model. */
  checkpoints: string[];
  /** The same checkpoints with their step and the metrics the service reported at that step. */
  checkpoint_steps: CheckpointFacts[];
  /** The hyperparameters the service resolved ("auto" replaced by numbers). */
  hyperparameters: Record<string, unknown>;
  /** From prepare's estimate, when it made one. */
  estimated_usd?: number;
  /** trained_tokens × the built-in table's training price; absent for a model without a known price. */
  actual_usd?: number;
  /** When the service created and finished the job (ISO 8601), for the job's duration. */
  created_at?: string;
  finished_at?: string;
  /** The decoded result file (step, train_loss, ...), relative to the project root. */
  metrics_file?: string;
};

/** One retained checkpoint: its model name, step and metrics (loss, accuracy) as the service reported them. */
export type CheckpointFacts = {
  model: string;
  step: number;
  metrics: Record<string, number>;
};

/** What the train stage keeps in its checkpoint while it works. */
export type TrainCheckpoint = {
  provider?: ProviderIdentity;
  /** Written before each create call: a crash after it means "a job may exist; look for it by metadata". */
  intent?: "create";
  at?: string;
  /** Written the instant the job id is known. */
  job_id?: string;
  adopted?: boolean;
  /** Jobs a --force run replaces: never adopted again by this fingerprint. */
  superseded?: string[];
  /** The newest job event shown, so that a re-attach shows only later ones. */
  last_event?: { id: string; created_at: number };
  /**
   * sha256 of the job's request (spec and provider): a later fingerprint whose request is the same reuses the
   * succeeded job instead of paying for it again.
   */
  spec_sha256?: string;
};

/** What evaluate records in the lockfile; deploy reads it. */
export type EvaluateOutputs = {
  /** `<workDir>/eval/results.json`, relative to the project root. */
  results: string;
  /** `reports/<name>/report.md`, relative to the project root. */
  report: string;
  candidates: { label: string; model: string; pass_rate: number; ci95: [number, number] }[];
  gate: { status: "none" | "passed" | "failed"; candidate?: string; reasons?: string[] };
  /** The model deploy ships: the gate's candidate, else fine_tuned. Absent when there is neither. */
  deploy_model?: string;
};

/** What deploy records: nothing without a `deploy:` key, else the alias it moved and where it wrote it. */
export type DeployOutputs = {
  alias?: string;
  model?: string;
  /** deployments/<name>.json, relative to the project root. */
  deployments_file?: string;
  azure_deployment?: string;
};

export type StageOutputs = {
  prepare: PrepareOutputs;
  upload: UploadOutputs;
  train: TrainOutputs;
  evaluate: EvaluateOutputs;
  deploy: DeployOutputs;
};

/** One input file's batch in evaluation.mode: batch, keyed in the checkpoint by the part's tag. */
export type BatchState = {
  /** sha256 of the input file. */
  sha256: string;
  file_id?: string;
  /** When the first create was attempted (ISO 8601): a batch may exist from then on. */
  intent_at?: string;
  batch_id?: string;
  /** The results were downloaded into the cache (informational: a lost cache is filled again from the batch). */
  done?: true;
};

export type EvaluateCheckpoint = { batches?: Record<string, BatchState> };

export type StageCheckpoints = {
  prepare: Record<string, never>;
  upload: UploadCheckpoint;
  train: TrainCheckpoint;
  evaluate: EvaluateCheckpoint;
  deploy: Record<string, never>;
};

/**
 * A record's outputs as the stage wrote them. The lockfile schema checks each record's frame; the outputs inside
 * are this stage's own writing (hand edits may only delete a record), so this is the one place they are read as
 * their type.
 */
export function outputsOf<S extends StageName>(
  _stage: S,
  record: StageRecord | undefined,
): StageOutputs[S] | undefined {
  return record?.outputs as StageOutputs[S] | undefined;
}

/** A record's checkpoint, with every key optional: it is written a piece at a time. */
export function checkpointOf<S extends StageName>(
  _stage: S,
  record: StageRecord | undefined,
): Partial<StageCheckpoints[S]> {
  return (record?.checkpoint ?? {}) as Partial<StageCheckpoints[S]>;
}

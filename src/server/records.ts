import type { ModelSnapshot } from "./trainer/types.js";

/** The objects the local provider stores and serves; wire objects are kept in their exact JSON shape. */

export type FilePurpose =
  | "assistants"
  | "batch"
  | "batch_output"
  | "fine-tune"
  | "fine-tune-results"
  | "vision"
  | "user_data"
  | "evals";

export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  expires_at?: number;
  filename: string;
  purpose: FilePurpose;
  status: "uploaded" | "processed" | "error";
}

export interface UploadObject {
  id: string;
  object: "upload";
  bytes: number;
  created_at: number;
  expires_at: number;
  filename: string;
  purpose: FilePurpose;
  status: "pending" | "completed" | "cancelled" | "expired";
  file?: FileObject;
}

export interface UploadRecord {
  upload: UploadObject;
  mimeType: string;
  /** Parts received, in arrival order; `complete` orders them by `part_ids`. */
  parts: { id: string; bytes: number; created_at: number }[];
}

export type JobStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled" | "paused";

export type Hyper = {
  n_epochs: number | "auto";
  batch_size: number | "auto";
  learning_rate_multiplier: number | "auto";
};
export type DpoHyper = Hyper & { beta: number | "auto" };

export type JobMethod =
  | { type: "supervised"; supervised: { hyperparameters: Hyper } }
  | { type: "dpo"; dpo: { hyperparameters: DpoHyper } };

export interface JobError {
  code: string;
  message: string;
  param: string | null;
}

export interface JobObject {
  id: string;
  object: "fine_tuning.job";
  created_at: number;
  error: JobError | null;
  fine_tuned_model: string | null;
  finished_at: number | null;
  hyperparameters: Hyper;
  model: string;
  organization_id: string;
  result_files: string[];
  status: JobStatus;
  trained_tokens: number | null;
  training_file: string;
  validation_file: string | null;
  integrations: unknown[] | null;
  seed: number;
  estimated_finish: number | null;
  method: JobMethod;
  metadata: Record<string, string> | null;
  user_provided_suffix: string | null;
}

export interface EventObject {
  id: string;
  object: "fine_tuning.job.event";
  created_at: number;
  level: "info" | "warn" | "error";
  message: string;
  type: "message" | "metrics";
  data: Record<string, unknown>;
}

export type CheckpointMetrics = {
  step: number;
  train_loss: number;
  train_mean_token_accuracy: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
  full_valid_loss?: number;
  full_valid_mean_token_accuracy?: number;
};

export interface CheckpointObject {
  id: string;
  object: "fine_tuning.job.checkpoint";
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: CheckpointMetrics;
}

/** A job with everything that belongs to it; persisted as one JSON document. */
export interface JobRecord {
  job: JobObject;
  /** Oldest first (the API lists newest first). */
  events: EventObject[];
  /** Oldest first. */
  checkpoints: CheckpointObject[];
  /** Rows of the result CSV, one per step. */
  results: ResultRow[];
  /** Where the job must fail on purpose (fault spec `fail-jobs`, or metadata `tunefile_fail`); not on the wire. */
  failOn?: FailStage;
}

export type FailStage = "validation" | "training";

export interface ResultRow {
  step: number;
  train_loss: number;
  train_accuracy: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
}

export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/** A fine-tuned or checkpoint model: its wire object plus the trained parameters it serves from. */
export interface ModelRecord {
  model: ModelObject;
  snapshot: ModelSnapshot;
  /** The job that produced it; checkpoint models cannot be deleted on their own. */
  jobId: string;
  kind: "fine-tuned" | "checkpoint";
}

/** Azure-style deployment, enough for the deploy stage's PUT/GET. */
export interface DeploymentObject {
  id: string;
  name: string;
  type: "Microsoft.CognitiveServices/accounts/deployments";
  sku: { name: string; capacity: number };
  properties: {
    model: { format: string; name: string; version: string };
    provisioningState: "Succeeded";
  };
}

/** A batch as the Batch API returns it (openapi.yaml `Batch`). */
export interface BatchObject {
  id: string;
  object: "batch";
  endpoint: string;
  errors?: { object: "list"; data: { code: string; message: string; param: string | null; line: number | null }[] };
  input_file_id: string;
  completion_window: string;
  status: "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";
  output_file_id?: string;
  error_file_id?: string;
  created_at: number;
  in_progress_at?: number;
  expires_at: number;
  finalizing_at?: number;
  completed_at?: number;
  failed_at?: number;
  expired_at?: number;
  cancelling_at?: number;
  cancelled_at?: number;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

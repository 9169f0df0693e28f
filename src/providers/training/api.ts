import type { PriceOverrides } from "../../core/catalog/prices.js";
import type { StageError } from "../../engine/stage-record.js";
import type { TrainOutputs } from "../../engine/stage-io.js";
import type { RemoteCall } from "../remote-call.js";
import {
  type AdoptionRule,
  cancel,
  createOrAdopt,
  describe,
  type FollowOptions,
  follow,
  type JobDescription,
  type JobPhase,
  type RemoteJobKind,
  resumable,
} from "../remote-job.js";
import type { TrainingSpec } from "./spec.js";

/** A training job as the train stage sees it, whatever the provider. */
export interface JobRef {
  id: string;
  status: string;
}

/** Where a finished job's outputs go, prepare's estimate to record beside the actual cost, and the pipeline's prices. */
export interface FinishInput {
  workDir: string;
  root: string;
  estimatedUsd: number | undefined;
  prices?: PriceOverrides;
}

export type TrainingEnd =
  | { kind: "succeeded"; outputs: TrainOutputs }
  | { kind: "failed"; error: StageError }
  | { kind: "cancelled"; error: StageError };

/** A provider's fine-tuning through the remote-job owner: the same life for all; the kind and finisher differ. */
export interface TrainingApi {
  resumable(call: RemoteCall, id: string): Promise<JobRef | undefined>;
  createOrAdopt(
    call: RemoteCall,
    rule: AdoptionRule<TrainingSpec>,
    recordIntent: () => Promise<number>,
  ): Promise<{ job: JobRef; adopted: boolean }>;
  /** Follows the job to its end and reads what it produced. */
  followToEnd(id: string, opts: FollowOptions, finish: FinishInput): Promise<TrainingEnd>;
  cancel(call: RemoteCall, id: string): Promise<{ phase: JobPhase; status: string }>;
  describe(call: RemoteCall, id: string): Promise<JobDescription & { fine_tuned_model: string | null }>;
}

/** What a dialect supplies beyond its kind: how a succeeded job becomes outputs, and a failed one an error. */
export interface Finisher<Job> {
  outputs(job: Job, call: RemoteCall, input: FinishInput): Promise<TrainOutputs>;
  failure(job: Job): StageError;
  modelOf(job: Job): string | null;
}

export function makeTrainingApi<Job extends { id: string }>(
  kind: RemoteJobKind<Job, TrainingSpec>,
  finisher: Finisher<Job>,
): TrainingApi {
  const ref = (job: Job): JobRef => ({ id: job.id, status: kind.status(job) });
  return {
    resumable: async (call, id) => {
      const job = await resumable(kind, call, id);
      return job && ref(job);
    },
    createOrAdopt: async (call, rule, recordIntent) => {
      const result = await createOrAdopt(kind, call, rule, recordIntent);
      return { job: ref(result.job), adopted: result.adopted };
    },
    followToEnd: async (id, opts, input) => {
      const job = await follow(kind, id, opts);
      switch (kind.phase(job)) {
        case "succeeded": {
          // Recording an empty model would leave evaluate and deploy nothing to use, with train marked done. As a
          // failure, a rerun re-attaches to the same job (it is never trained again) and says the same.
          if (!finisher.modelOf(job)) {
            const message = `the fine-tuning job ${job.id} succeeded, but the provider named no fine-tuned model; look for it in the provider's console, and name it in training.fine_tuned_model to evaluate it`;
            return { kind: "failed", error: { code: "no-fine-tuned-model", message } };
          }
          return { kind: "succeeded", outputs: await finisher.outputs(job, opts.call, input) };
        }
        case "cancelled": {
          const message = `the fine-tuning job ${job.id} was cancelled; run again to start a new one`;
          return { kind: "cancelled", error: { code: "cancelled", message } };
        }
        default:
          return { kind: "failed", error: finisher.failure(job) };
      }
    },
    cancel: async (call, id) => {
      const job = await cancel(kind, call, id);
      return { phase: kind.phase(job), status: kind.status(job) };
    },
    describe: async (call, id) => {
      const { job, description } = await describe(kind, call, id);
      return { ...description, fine_tuned_model: finisher.modelOf(job) };
    },
  };
}

import { roundUsd } from "../../core/format-usd.js";
import { createHash } from "node:crypto";
import type { OpenAI } from "openai";
import { trainingPrice } from "../../core/catalog/prices.js";
import { providerCode } from "../errors.js";
import type { RemoteCall } from "../remote-call.js";
import {
  type AdoptionRule,
  adoptable,
  CLOCK_SKEW_SECONDS,
  type EventMark,
  type JobEvent,
  type JobPhase,
  type JobTag,
  type RemoteJobKind,
} from "../remote-job.js";
import { makeTrainingApi, type TrainingApi } from "../training/api.js";
import type { TrainingSpec } from "../training/spec.js";

/** A fine-tuning job as Together's /fine-tunes endpoints describe it (the fields tunefile reads). */
export interface TogetherJob {
  id: string;
  status: string;
  model?: string;
  /** The fine-tuned model's name, as Together's spec and SDKs name it; `output_name` in older answers. */
  model_output_name?: string;
  output_name?: string;
  training_file?: string;
  suffix?: string;
  created_at?: string;
  updated_at?: string;
  token_count?: number;
  /** What Together charged, in nanodollars (the official Python SDK's `finetune_price_to_dollars`). */
  total_price?: number | null;
  n_epochs?: number;
  batch_size?: number | "max";
  learning_rate?: number;
  training_type?: { type: string; lora_r?: number; lora_alpha?: number; lora_dropout?: number };
  events?: TogetherEvent[];
}

interface TogetherEvent {
  created_at: string;
  message: string;
  type?: string;
  level?: string | null;
  step?: number;
  total_steps?: number;
}

/**
 * Together AI fine-tuning (https://docs.together.ai/reference/post-fine-tunes). Together keeps no metadata on a
 * job, so the tag travels in the suffix: `<suffix>-<first 8 of the fingerprint>`, which also names the model. A
 * job is ours when its suffix, model and training file are the ones we asked for and it was made since our first
 * create intent.
 */
export function togetherTraining(client: OpenAI): TrainingApi {
  const kind: RemoteJobKind<TogetherJob, TrainingSpec> = {
    api: "fine-tunes",
    phase: phaseOf,
    status: (job) => job.status,
    findOwn: (call, rule) => findOwn(client, call, rule),
    create: (spec, tag, signal) => client.post<TogetherJob>("/fine-tunes", { body: togetherBody(spec, tag), signal }),
    retrieve: (call, id) =>
      call("fine-tunes.retrieve", (signal) => client.get<TogetherJob>(`/fine-tunes/${id}`, { signal })),
    cancel: (call, id) =>
      call("fine-tunes.cancel", (signal) => client.post<TogetherJob>(`/fine-tunes/${id}/cancel`, { signal })),
    progressOf: () => ({}),
    newEvents: async (call, id, seen, after) => (await events(client, call, id)).filter((e) => isNew(e, seen, after)),
    recentEvents: async (call, id) => (await events(client, call, id)).reverse().slice(0, 20),
  };
  return makeTrainingApi(kind, {
    outputs: async (job, _call, input) => {
      const tokens = job.token_count ?? null;
      // Together's own total when it gives one: its rates differ by size, method and LoRA or full weights, and it
      // bills validation passes too. Otherwise the tokens at the pipeline's (or the catalog's) price.
      const price = job.model ? trainingPrice(job.model, input.prices)?.per_1m : undefined;
      const charged =
        typeof job.total_price === "number"
          ? job.total_price / 1_000_000_000
          : price !== undefined && tokens !== null
            ? (tokens * price) / 1_000_000
            : undefined;
      return {
        job_id: job.id,
        status: job.status,
        base_model: job.model ?? "",
        fine_tuned_model: modelOf(job) ?? "",
        trained_tokens: tokens,
        checkpoints: [],
        checkpoint_steps: [],
        hyperparameters: {
          ...(job.n_epochs !== undefined ? { n_epochs: job.n_epochs } : {}),
          ...(job.batch_size !== undefined ? { batch_size: job.batch_size } : {}),
          ...(job.learning_rate !== undefined ? { learning_rate: job.learning_rate } : {}),
          ...(job.training_type ? { training_type: job.training_type } : {}),
        },
        ...(charged !== undefined ? { actual_usd: roundUsd(charged) } : {}),
        ...(job.created_at ? { created_at: job.created_at } : {}),
        ...(job.updated_at ? { finished_at: job.updated_at } : {}),
      };
    },
    failure: (job) => {
      const last = [...(job.events ?? [])].reverse().find((e) => levelOf(e) === "error");
      return {
        code: providerCode("fine_tune_error"),
        message: last?.message ?? `the fine-tuning job ${job.id} ended with status ${job.status}`,
      };
    },
    modelOf,
  });
}

function modelOf(job: TogetherJob): string | null {
  return job.model_output_name ?? job.output_name ?? null;
}

/**
 * `cancel_requested` is still active: the job stops at its next step. `user_error` (a job Together refused, e.g. for
 * its data) is an end the official Python SDK lists beside `error`, though the OpenAPI spec does not.
 */
const PHASES = new Map<string, JobPhase>([
  ["completed", "succeeded"],
  ["error", "failed"],
  ["user_error", "failed"],
  ["cancelled", "cancelled"],
]);

export function phaseOf(job: Pick<TogetherJob, "status">): JobPhase {
  return PHASES.get(job.status) ?? "active";
}

/**
 * The suffix that carries the tag: the user's suffix (or the pipeline's name), cut to 31 characters, and the
 * fingerprint's first 8. Together takes at most 40 (the official Python SDK's `suffix`); a longer one refused, or
 * cut on Together's side, would lose the fingerprint that finds the job again after a lost create.
 */
function taggedSuffix(spec: TrainingSpec, tag: JobTag): string {
  return `${(spec.suffix ?? tag.tunefile_pipeline).slice(0, 31)}-${tag.tunefile_fingerprint.slice(0, 8)}`;
}

/** Together's request: `training_type` for LoRA or full weights, `training_method` for SFT or DPO. */
export function togetherBody(spec: TrainingSpec, tag: JobTag): Record<string, unknown> {
  const hp = spec.hyperparameters;
  const lora = spec.lora;
  // Undefined fields are left out of the JSON body.
  return {
    model: spec.model,
    training_file: spec.training_file,
    validation_file: spec.validation_file || undefined,
    n_epochs: typeof hp.n_epochs === "number" ? hp.n_epochs : undefined,
    batch_size: typeof hp.batch_size === "number" ? hp.batch_size : undefined,
    learning_rate: hp.learning_rate,
    // Without `training.lora` the field is left out and Together trains its default, a LoRA adapter
    // (https://github.com/togethercomputer/openapi, `training_type`); sending Full would cost more and is refused on
    // models that only take LoRA. When LoRA is given, Together requires r and alpha.
    training_type: lora
      ? { type: "Lora", lora_r: lora.r ?? 8, lora_alpha: lora.alpha ?? 16, lora_dropout: lora.dropout }
      : undefined,
    training_method:
      spec.method === "dpo"
        ? { method: "dpo", dpo_beta: typeof hp.beta === "number" ? hp.beta : undefined }
        : { method: "sft", train_on_inputs: "auto" },
    suffix: taggedSuffix(spec, tag),
    random_seed: spec.seed,
  };
}

async function findOwn(
  client: OpenAI,
  call: RemoteCall,
  rule: AdoptionRule<TrainingSpec>,
): Promise<TogetherJob | undefined> {
  const page = await call("fine-tunes.list", (signal) =>
    client.get<{ data: TogetherJob[] }>("/fine-tunes", { signal }),
  );
  const suffix = taggedSuffix(rule.spec, rule.tag);
  const since = rule.untaggedSince;
  return page.data.find((job) => {
    if (!adoptable(phaseOf(job), job.id, rule)) return false;
    const created = job.created_at ? Date.parse(job.created_at) / 1000 : 0;
    return (
      job.model === rule.spec.model &&
      job.training_file === rule.spec.training_file &&
      // A listing without the suffix proves nothing about the fingerprint: such a job is ours only when it was
      // made after our create intent, never on model and file alone (an older job on the same data would match).
      (job.suffix === suffix ||
        (modelOf(job) ?? "").includes(suffix) ||
        (job.suffix === undefined && since !== undefined)) &&
      (since === undefined || created >= since - CLOCK_SKEW_SECONDS)
    );
  });
}

/** Every event of a job, oldest first, with a stable id (Together's events carry none). */
async function events(client: OpenAI, call: RemoteCall, id: string): Promise<JobEvent[]> {
  const page = await call("fine-tunes.listEvents", (signal) =>
    client.get<{ data: TogetherEvent[] }>(`/fine-tunes/${id}/events`, { signal }),
  );
  return [...page.data]
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
    .map((e) => ({
      id: createHash("sha256")
        .update(`${e.created_at}\n${e.type ?? ""}\n${e.message}`)
        .digest("hex")
        .slice(0, 24),
      created_at: Math.floor(Date.parse(e.created_at) / 1000),
      level: levelOf(e),
      message: e.message,
      ...(e.step !== undefined
        ? { progress: { step: e.step, ...(e.total_steps !== undefined ? { totalSteps: e.total_steps } : {}) } }
        : {}),
    }));
}

/**
 * Together's levels: `error` and `warning`, `legacy_ierror` and `legacy_iwarning` in its spec, and `Error` and
 * `Warning` in its Python SDK.
 */
export function levelOf(e: Pick<TogetherEvent, "level">): JobEvent["level"] {
  const level = e.level?.toLowerCase() ?? "";
  return level.endsWith("error") ? "error" : level.endsWith("warning") ? "warn" : "info";
}

function isNew(event: JobEvent, seen: ReadonlySet<string>, after: EventMark | undefined): boolean {
  return !seen.has(event.id) && (after === undefined || event.created_at >= after.created_at);
}

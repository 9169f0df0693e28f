import { randomInt } from "node:crypto";
import { nowSeconds, type Route, type ServerContext } from "../context.js";
import { badRequest, notFound, page, parseLimit, readJsonObject, sendJson } from "../http.js";
import { newId } from "../ids.js";
import { parseJobRequest } from "../jobs/create-params.js";
import { addEvent, EventText } from "../jobs/events.js";
import { methodHyper } from "../jobs/hyperparameters.js";
import type { FailStage, JobRecord } from "../records.js";

/** Fine-tuning jobs: create, retrieve, list, cancel, pause, resume, events, checkpoints. */

export function getJob(ctx: ServerContext, id: string): JobRecord {
  const record = ctx.store.jobs.get(id);
  if (!record) throw notFound(`No such fine-tuning job: ${id}`, "fine_tuning_job_id", "fine_tune_not_found");
  return record;
}

/** Jobs newest first; ties (same second) by creation order. */
function jobsNewestFirst(ctx: ServerContext): JobRecord[] {
  return [...ctx.store.jobs.values()].reverse().sort((a, b) => b.job.created_at - a.job.created_at);
}

/** `metadata[k]=v` filters (qs bracket encoding, as the SDK sends them). */
function metadataFilter(query: URLSearchParams): [string, string][] {
  const filters: [string, string][] = [];
  for (const [key, value] of query) {
    const m = /^metadata\[(.+)\]$/.exec(key);
    if (m?.[1] !== undefined) filters.push([m[1], value]);
  }
  return filters;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/** Job metadata that makes that job fail on purpose: `tunefile_fail: "validation" | "training"`. */
export const FAIL_METADATA_KEY = "tunefile_fail";

function failStageOf(value: string | undefined): FailStage | undefined {
  return value === "validation" || value === "training" ? value : undefined;
}

/** Creates a job from an OpenAI-shaped request (also what the Together dialect translates into) and starts it. */
export async function createJob(ctx: ServerContext, body: Record<string, unknown>): Promise<JobRecord> {
  const request = parseJobRequest(ctx, body, () => randomInt(0, 2_147_483_647));
  const id = newId.job();
  const record: JobRecord = {
    job: {
      id,
      object: "fine_tuning.job",
      created_at: nowSeconds(ctx.clock),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: { ...methodHyper(request.method) },
      model: request.model,
      organization_id: `org-${ctx.organization}`,
      result_files: [],
      status: "validating_files",
      trained_tokens: null,
      training_file: request.trainingFile,
      validation_file: request.validationFile,
      integrations: request.integrations,
      seed: request.seed,
      estimated_finish: null,
      method: request.method,
      metadata: request.metadata,
      user_provided_suffix: request.suffix,
    },
    events: [],
    checkpoints: [],
    results: [],
  };
  if (record.job.method.type === "dpo") {
    // `hyperparameters` (top level) only describes supervised jobs; DPO jobs keep theirs under `method`.
    const { n_epochs, batch_size, learning_rate_multiplier } = record.job.method.dpo.hyperparameters;
    record.job.hyperparameters = { n_epochs, batch_size, learning_rate_multiplier };
  }
  const failOn = failStageOf(request.metadata?.[FAIL_METADATA_KEY]) ?? ctx.faults?.failStageFor(request.suffix);
  if (failOn) record.failOn = failOn;
  addEvent(record, ctx.clock, EventText.created(id));
  addEvent(record, ctx.clock, EventText.validating(request.trainingFile, request.validationFile));
  await ctx.store.saveJob(record);
  ctx.runner.kick(id);
  return record;
}

/** Cancels a job that has not ended (400 otherwise, as the API does). */
export async function cancelJob(ctx: ServerContext, id: string): Promise<JobRecord> {
  const record = getJob(ctx, id);
  if (TERMINAL.has(record.job.status)) {
    throw badRequest(
      `Job ${record.job.id} has already completed (status '${record.job.status}') and cannot be cancelled.`,
      "fine_tuning_job_id",
    );
  }
  record.job.status = "cancelled";
  record.job.estimated_finish = null;
  ctx.runner.discard(record.job.id);
  await ctx.store.saveJob(record);
  return record;
}

export const jobRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/fine_tuning\/jobs$/,
    creates: true,
    handler: async (ctx, { req, res }) => {
      const record = await createJob(ctx, await readJsonObject(req));
      sendJson(res, 200, record.job);
    },
  },
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs$/,
    handler: async (ctx, { res, query }) => {
      const limit = parseLimit(query, 20, 100);
      const filters = metadataFilter(query);
      const jobs = jobsNewestFirst(ctx)
        .map((r) => r.job)
        .filter((job) => filters.every(([k, v]) => job.metadata?.[k] === v));
      const { data, has_more } = page(jobs, query.get("after"), limit);
      sendJson(res, 200, { object: "list", data, has_more });
    },
  },
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)$/,
    handler: async (ctx, { res, params }) => {
      sendJson(res, 200, getJob(ctx, params[0] ?? "").job);
    },
  },
  {
    method: "POST",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/cancel$/,
    handler: async (ctx, { res, params }) => sendJson(res, 200, (await cancelJob(ctx, params[0] ?? "")).job),
  },
  {
    method: "POST",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/pause$/,
    handler: async (ctx, { res, params }) => {
      const record = getJob(ctx, params[0] ?? "");
      if (record.job.status !== "running") {
        throw badRequest(
          `Job ${record.job.id} is '${record.job.status}'; only running jobs can be paused.`,
          "fine_tuning_job_id",
        );
      }
      record.job.status = "paused";
      record.job.estimated_finish = null;
      await ctx.store.saveJob(record);
      sendJson(res, 200, record.job);
    },
  },
  {
    method: "POST",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/resume$/,
    handler: async (ctx, { res, params }) => {
      const record = getJob(ctx, params[0] ?? "");
      if (record.job.status !== "paused") {
        throw badRequest(
          `Job ${record.job.id} is '${record.job.status}'; only paused jobs can be resumed.`,
          "fine_tuning_job_id",
        );
      }
      record.job.status = "queued";
      await ctx.store.saveJob(record);
      ctx.runner.kick(record.job.id);
      sendJson(res, 200, record.job);
    },
  },
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/events$/,
    handler: async (ctx, { res, params, query }) => {
      const record = getJob(ctx, params[0] ?? "");
      const limit = parseLimit(query, 20, 10_000);
      const { data, has_more } = page([...record.events].reverse(), query.get("after"), limit);
      sendJson(res, 200, { object: "list", data, has_more });
    },
  },
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/checkpoints$/,
    handler: async (ctx, { res, params, query }) => {
      const record = getJob(ctx, params[0] ?? "");
      const limit = parseLimit(query, 10, 100);
      const { data, has_more } = page([...record.checkpoints].reverse(), query.get("after"), limit);
      sendJson(res, 200, {
        object: "list",
        data,
        first_id: data[0]?.id ?? null,
        last_id: data[data.length - 1]?.id ?? null,
        has_more,
      });
    },
  },
];

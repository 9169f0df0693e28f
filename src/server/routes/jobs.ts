import { nowSeconds, type Route, type ServerContext } from "../context.js";
import { badRequest, newestFirst, notFound, parseLimit, readJsonObject, sendJson, sendPage } from "../http.js";
import { newId, ORGANIZATION } from "../ids.js";
import { parseJobRequest } from "../jobs/create-params.js";
import { addEvent, EventText } from "../jobs/events.js";
import { methodHyper } from "../jobs/hyperparameters.js";
import type { JobRecord } from "../records.js";

/** Fine-tuning jobs: create, retrieve, list, cancel, pause, resume, events, checkpoints. */

export function getJob(ctx: ServerContext, id: string): JobRecord {
  const record = ctx.store.jobs.get(id);
  if (!record) throw notFound(`No such fine-tuning job: ${id}`, "fine_tuning_job_id", "fine_tune_not_found");
  return record;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/** Creates a job from an OpenAI-shaped request (also what the Together dialect translates into) and starts it. */
export async function createJob(ctx: ServerContext, body: Record<string, unknown>): Promise<JobRecord> {
  const request = parseJobRequest(ctx, body);
  const id = newId.job();
  // `hyperparameters` (top level) has no DPO `beta`; DPO jobs keep theirs under `method`.
  const { n_epochs, batch_size, learning_rate_multiplier } = methodHyper(request.method);
  const record: JobRecord = {
    job: {
      id,
      object: "fine_tuning.job",
      created_at: nowSeconds(ctx.clock),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: { n_epochs, batch_size, learning_rate_multiplier },
      model: request.model,
      organization_id: `org-${ORGANIZATION}`,
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
  // Job metadata `tunefile_fail: "validation" | "training"` makes that job fail on purpose.
  const asked = request.metadata?.tunefile_fail;
  const failOn = asked === "validation" || asked === "training" ? asked : ctx.faults?.failStageFor(request.suffix);
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
      // `metadata[k]=v` filters (qs bracket encoding, as the SDK sends them).
      const filters = [...query].flatMap(([key, value]) => {
        const k = /^metadata\[(.+)\]$/.exec(key)?.[1];
        return k === undefined ? [] : [[k, value] as const];
      });
      const jobs = newestFirst(ctx.store.jobs.values(), (r) => r.job.created_at)
        .map((r) => r.job)
        .filter((job) => filters.every(([k, v]) => job.metadata?.[k] === v));
      sendPage(res, query, jobs, limit, false);
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
  // Pause takes a running job to `paused`, resume a paused one back to `queued` (the runner picks it up).
  ...(
    [
      ["pause", "running", "paused"],
      ["resume", "paused", "queued"],
    ] as const
  ).map(
    ([action, from, to]): Route => ({
      method: "POST",
      pattern: new RegExp(`^/fine_tuning/jobs/([^/]+)/${action}$`),
      handler: async (ctx, { res, params }) => {
        const record = getJob(ctx, params[0] ?? "");
        const { job } = record;
        if (job.status !== from) {
          const message = `Job ${job.id} is '${job.status}'; only ${from} jobs can be ${action}d.`;
          throw badRequest(message, "fine_tuning_job_id");
        }
        job.status = to;
        if (to === "paused") job.estimated_finish = null;
        await ctx.store.saveJob(record);
        if (to === "queued") ctx.runner.kick(job.id);
        sendJson(res, 200, job);
      },
    }),
  ),
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/events$/,
    handler: async (ctx, { res, params, query }) => {
      const record = getJob(ctx, params[0] ?? "");
      sendPage(res, query, [...record.events].reverse(), parseLimit(query, 20, 10_000), false);
    },
  },
  {
    method: "GET",
    pattern: /^\/fine_tuning\/jobs\/([^/]+)\/checkpoints$/,
    handler: async (ctx, { res, params, query }) => {
      const record = getJob(ctx, params[0] ?? "");
      sendPage(res, query, [...record.checkpoints].reverse(), parseLimit(query, 10, 100));
    },
  },
];

import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { findOpenModel } from "../../core/catalog/open-models.js";
import type { Route, ServerContext } from "../context.js";
import { badRequest, newestFirst, notFound, readJsonObject, sendJson } from "../http.js";
import { newId } from "../ids.js";
import type { EventObject, FileObject, JobRecord } from "../records.js";
import { createFile, getFile } from "../routes/files.js";
import { cancelJob, createJob, getJob } from "../routes/jobs.js";

/**
 * Together AI's API under `/together/v1`, translated onto the OpenAI routes' files, jobs and trainer: the redirect
 * upload and `/fine-tunes` in Together's fields, statuses and ISO dates. Chat falls through to the shared route.
 */

/** Where the 302 of `POST /files` sends the bytes: this server's own signed-URL stand-in. */
export const TOGETHER_UPLOAD_PATH = "/together-upload";

/** Files announced by `POST /files` whose bytes have not arrived yet: id → name and purpose. */
const announced = new Map<string, { filename: string; purpose: string }>();

function fileObject(file: FileObject): Record<string, unknown> {
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes,
    created_at: file.created_at,
    filename: file.filename,
    purpose: file.purpose,
    FileType: "jsonl",
    Processed: true,
  };
}

/** OpenAI's job statuses as Together names them; queued, running and cancelled are the same. */
const STATUSES: Record<string, string> = {
  validating_files: "pending",
  succeeded: "completed",
  failed: "error",
  paused: "running",
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function eventObject(e: EventObject): Record<string, unknown> {
  const data = (e.data ?? {}) as { step?: number; total_steps?: number };
  return {
    object: "fine-tune-event",
    created_at: iso(e.created_at),
    message: e.message,
    type: e.type === "metrics" ? "TRAINING_PROGRESS" : "JOB_EVENT",
    level: e.level === "warn" ? "warning" : e.level,
    ...(typeof data.step === "number" ? { step: data.step } : {}),
    ...(typeof data.total_steps === "number" ? { total_steps: data.total_steps } : {}),
  };
}

function jobObject(record: JobRecord): Record<string, unknown> {
  const { job } = record;
  return {
    id: job.id,
    status: STATUSES[job.status] ?? job.status,
    user_id: `user-${job.organization_id}`,
    model: job.model,
    // Together's spec and both official SDKs name the model `model_output_name` only.
    model_output_name: job.fine_tuned_model ?? undefined,
    training_file: job.training_file,
    validation_file: job.validation_file ?? undefined,
    suffix: job.user_provided_suffix ?? undefined,
    created_at: iso(job.created_at),
    updated_at: iso(job.finished_at ?? job.created_at),
    n_epochs: job.hyperparameters.n_epochs,
    batch_size: job.hyperparameters.batch_size,
    token_count: job.trained_tokens ?? undefined,
    training_method:
      job.method.type === "dpo"
        ? { method: "dpo", dpo_beta: job.method.dpo.hyperparameters.beta }
        : { method: "sft", train_on_inputs: "auto" },
    events: record.events.map(eventObject),
  };
}

/** Together's create request as the OpenAI-shaped one the job runner takes. */
function asOpenAIRequest(body: Record<string, unknown>): Record<string, unknown> {
  const method = body.training_method as { method?: unknown; dpo_beta?: unknown } | undefined;
  const hyper = {
    ...(body.n_epochs !== undefined ? { n_epochs: body.n_epochs } : {}),
    ...(typeof body.batch_size === "number" ? { batch_size: body.batch_size } : {}),
  };
  return {
    model: body.model,
    training_file: body.training_file,
    ...(body.validation_file ? { validation_file: body.validation_file } : {}),
    ...(typeof body.suffix === "string" ? { suffix: body.suffix } : {}),
    ...(typeof body.random_seed === "number" ? { seed: body.random_seed } : {}),
    method:
      method?.method === "dpo"
        ? {
            type: "dpo",
            dpo: {
              hyperparameters: { ...hyper, ...(typeof method.dpo_beta === "number" ? { beta: method.dpo_beta } : {}) },
            },
          }
        : { type: "supervised", supervised: { hyperparameters: hyper } },
  };
}

export const togetherRoutes: Route[] = [
  {
    // Step 1 of an upload: the name and purpose (query or form); the answer points at where the bytes go.
    method: "POST",
    pattern: /^\/files$/,
    creates: true,
    handler: async (_ctx, { req, res, query }) => {
      let text = "";
      for await (const chunk of req) text += chunk;
      const form = new URLSearchParams(text);
      const name = query.get("file_name") ?? form.get("file_name");
      const purpose = query.get("purpose") ?? form.get("purpose") ?? "fine-tune";
      if (!name) throw badRequest("Missing required parameter: 'file_name'.", "file_name");
      const id = newId.file();
      announced.set(id, { filename: path.basename(name), purpose });
      // Redirected to the request's own origin: the client reached us there.
      const location = `http://${req.headers.host ?? "127.0.0.1"}${TOGETHER_UPLOAD_PATH}/${id}`;
      res.writeHead(302, { location, "x-together-file-id": id });
      res.end();
    },
  },
  {
    method: "GET",
    pattern: /^\/files$/,
    handler: async (ctx, { res }) => {
      sendJson(res, 200, { object: "list", data: [...ctx.store.files.values()].map(fileObject) });
    },
  },
  {
    method: "GET",
    pattern: /^\/files\/([^/]+)$/,
    handler: async (ctx, { res, params }) => sendJson(res, 200, fileObject(getFile(ctx, params[0] ?? ""))),
  },
  {
    method: "POST",
    pattern: /^\/fine-tunes$/,
    creates: true,
    handler: async (ctx, { req, res }) => {
      const body = await readJsonObject(req);
      // Left out, training_type is LoRA; Full is refused where the model only takes adapters, as Together does.
      const type = (body.training_type as { type?: unknown } | null | undefined)?.type;
      const open = typeof body.model === "string" ? findOpenModel("together", body.model) : undefined;
      if (type === "Full" && open && !open.full) {
        throw badRequest(
          `Full fine-tuning is not supported for ${open.name}; use training_type Lora.`,
          "training_type",
        );
      }
      sendJson(res, 200, jobObject(await createJob(ctx, asOpenAIRequest(body))));
    },
  },
  {
    method: "GET",
    pattern: /^\/fine-tunes$/,
    handler: async (ctx, { res }) => {
      const jobs = newestFirst(ctx.store.jobs.values(), (r) => r.job.created_at);
      sendJson(res, 200, { data: jobs.map(jobObject) });
    },
  },
  {
    method: "GET",
    pattern: /^\/fine-tunes\/([^/]+)$/,
    handler: async (ctx, { res, params }) => sendJson(res, 200, jobObject(getJob(ctx, params[0] ?? ""))),
  },
  {
    method: "POST",
    pattern: /^\/fine-tunes\/([^/]+)\/cancel$/,
    handler: async (ctx, { req, res, params }) => {
      req.resume();
      // Together answers a cancel with `cancel_requested` (the job stops at its next step); later reads say
      // `cancelled`. Here the job stops at once, but the answer is Together's, so clients meet the state between.
      const job = jobObject(await cancelJob(ctx, params[0] ?? ""));
      sendJson(res, 200, job.status === "cancelled" ? { ...job, status: "cancel_requested" } : job);
    },
  },
  {
    method: "GET",
    pattern: /^\/fine-tunes\/([^/]+)\/events$/,
    handler: async (ctx, { res, params }) => {
      sendJson(res, 200, { data: getJob(ctx, params[0] ?? "").events.map(eventObject) });
    },
  },
  {
    method: "GET",
    pattern: /^\/fine-tunes\/([^/]+)\/checkpoints$/,
    handler: async (ctx, { res, params }) => {
      const record = getJob(ctx, params[0] ?? "");
      sendJson(res, 200, {
        data: record.checkpoints.map((c) => ({
          checkpoint_type: "intermediate",
          created_at: iso(c.created_at),
          path: c.fine_tuned_model_checkpoint,
          step: c.step_number,
        })),
      });
    },
  },
];

/**
 * Step 2 of an upload: the bytes, `PUT` to the location the 302 gave (no API key, like a signed URL). Served
 * outside the prefixes and the key check, as a storage URL is.
 */
export async function receiveUpload(ctx: ServerContext, req: IncomingMessage, id: string): Promise<number> {
  const meta = announced.get(id);
  if (!meta) {
    req.resume();
    return 404;
  }
  const spooled = ctx.store.spoolPath();
  try {
    await pipeline(req, createWriteStream(spooled));
    const { size } = await stat(spooled);
    if (meta.purpose !== "fine-tune" && meta.purpose !== "batch") throw notFound(`unknown purpose ${meta.purpose}`);
    await createFile(ctx, meta.filename, meta.purpose, { path: spooled, bytes: size }, undefined, id);
    announced.delete(id);
    return 200;
  } finally {
    await rm(spooled, { force: true });
  }
}

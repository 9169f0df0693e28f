import { randomInt } from "node:crypto";
import { isFineTunedName, servedFamily } from "../open-models.js";
import type { ServerContext } from "../context.js";
import { badRequest, parseMetadata } from "../http.js";
import type { Hyper, JobMethod } from "../records.js";

const MAX_SEED = 2_147_483_647;

/** A `POST /fine_tuning/jobs` body checked as the real API does (400s naming the `param`) and normalised. */
export function parseJobRequest(ctx: ServerContext, body: Record<string, unknown>) {
  const model = body.model;
  if (typeof model !== "string" || model === "") throw badRequest("Missing required parameter: 'model'.", "model");
  const family = servedFamily(model);
  const isFineTuned = isFineTunedName(model);
  if (!family || (isFineTuned && !ctx.store.models.has(model))) {
    throw badRequest(
      `Model ${model} is not available for fine-tuning or does not exist.`,
      "model",
      "model_not_available",
    );
  }

  const trainingFile = fileParam(ctx, body.training_file, "training_file", true) as string;
  const validationFile = fileParam(ctx, body.validation_file, "validation_file", false);
  if (validationFile !== null && validationFile === trainingFile) {
    throw badRequest("The validation file must be different from the training file.", "validation_file");
  }

  const method = parseMethod(body.method, body.hyperparameters);
  if (!family.methods.includes(method.type)) {
    throw badRequest(`Model ${model} does not support the '${method.type}' fine-tuning method.`, "method.type");
  }

  const { suffix, seed, integrations } = body;
  const given = (v: unknown) => v !== undefined && v !== null;
  if (given(suffix) && (typeof suffix !== "string" || suffix.length < 1 || suffix.length > 64)) {
    throw badRequest("Invalid 'suffix': string must be between 1 and 64 characters long.", "suffix");
  }
  if (given(seed) && (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)) {
    throw badRequest(`Invalid 'seed': integer between 0 and ${MAX_SEED} expected.`, "seed");
  }
  if (given(integrations) && (!Array.isArray(integrations) || integrations.length > 5)) {
    throw badRequest("Invalid 'integrations': at most 5 integrations are allowed.", "integrations");
  }

  return {
    // The resolved snapshot, or the `ft:` model being fine-tuned further.
    model: isFineTuned ? model : family.snapshot,
    trainingFile,
    validationFile,
    method,
    suffix: typeof suffix === "string" ? suffix : null,
    seed: typeof seed === "number" ? seed : randomInt(0, MAX_SEED),
    metadata: parseMetadata(body.metadata),
    integrations: Array.isArray(integrations) ? integrations : null,
  };
}

function fileParam(ctx: ServerContext, value: unknown, param: string, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw badRequest(`Missing required parameter: '${param}'.`, param);
    return null;
  }
  if (typeof value !== "string") throw badRequest(`Invalid type for '${param}': expected a string.`, param);
  const file = ctx.store.files.get(value);
  if (!file) throw badRequest(`invalid ${param}: ${value}`, param);
  if (file.purpose !== "fine-tune") {
    throw badRequest(
      `File ${value} has purpose '${file.purpose}'; fine-tuning files must have purpose 'fine-tune'.`,
      param,
    );
  }
  return value;
}

function parseMethod(method: unknown, legacy: unknown): JobMethod {
  const legacyHyper = parseHyper(legacy, "hyperparameters");
  if (method === undefined || method === null) {
    return { type: "supervised", supervised: { hyperparameters: legacyHyper } };
  }
  if (typeof method !== "object") throw badRequest("Invalid type for 'method': expected an object.", "method");
  const m = method as Record<string, unknown>;
  if (m.type === "reinforcement") {
    throw badRequest("Reinforcement fine-tuning is not supported by the local provider.", "method.type");
  }
  if (m.type !== "supervised" && m.type !== "dpo") {
    throw badRequest(
      `Invalid value for 'method.type': expected one of 'supervised', 'dpo', 'reinforcement'.`,
      "method.type",
    );
  }
  const given = (m[m.type] as Record<string, unknown> | undefined)?.hyperparameters as
    | Record<string, unknown>
    | undefined;
  const hyper = given === undefined ? legacyHyper : parseHyper(given, `method.${m.type}.hyperparameters`);
  if (m.type === "supervised") return { type: "supervised", supervised: { hyperparameters: hyper } };
  const beta = given?.beta ?? "auto";
  if (beta !== "auto" && (typeof beta !== "number" || beta <= 0 || beta > 2)) {
    throw badRequest("Invalid 'beta': number in (0, 2] expected.", "method.dpo.hyperparameters.beta");
  }
  return { type: "dpo", dpo: { hyperparameters: { ...hyper, beta } } };
}

function parseHyper(value: unknown, param: string): Hyper {
  const h = (value ?? {}) as Record<string, unknown>;
  if (typeof h !== "object") throw badRequest(`Invalid type for '${param}': expected an object.`, param);
  return {
    n_epochs: intOrAuto(h.n_epochs, `${param}.n_epochs`, 1, 50),
    batch_size: intOrAuto(h.batch_size, `${param}.batch_size`, 1, 256),
    learning_rate_multiplier: positiveOrAuto(h.learning_rate_multiplier, `${param}.learning_rate_multiplier`),
  };
}

function intOrAuto(v: unknown, param: string, min: number, max: number): number | "auto" {
  if (v === undefined || v === null || v === "auto") return "auto";
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`Invalid '${param}': expected 'auto' or an integer between ${min} and ${max}.`, param);
  }
  return v;
}

function positiveOrAuto(v: unknown, param: string): number | "auto" {
  if (v === undefined || v === null || v === "auto") return "auto";
  if (typeof v !== "number" || !(v > 0))
    throw badRequest(`Invalid '${param}': expected 'auto' or a number > 0.`, param);
  return v;
}

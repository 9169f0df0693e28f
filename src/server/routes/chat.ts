import type { ServerResponse } from "node:http";
import { countExampleTokens, type TokenCounter, tokenCounterForModel } from "../../data/tokens.js";
import { nowSeconds, type Route, type ServerContext } from "../context.js";
import { badRequest, notFound, readJsonObject, sendJson } from "../http.js";
import { newId } from "../ids.js";
import { contentText } from "../jobs/job-data.js";
import type { ChatMessage, Generation } from "../trainer/types.js";
import { snapshotFor } from "./models.js";
import { assistantMessage, responseFormatShape, toolShape } from "./output-shape.js";

/** Chat completions, plain and streamed, generated from the model's own parameters (so fine-tuning shows). */

/** `max_completion_tokens` when neither it nor `max_tokens` is given (the real default is the context size). */
export const DEFAULT_MAX_TOKENS = 256;

const ROLES = new Set(["developer", "system", "user", "assistant", "tool", "function"]);

function parseChatRequest(body: Record<string, unknown>, deployment: string | undefined) {
  const model = deployment ?? body.model;
  if (typeof model !== "string" || model === "") throw badRequest("you must provide a model parameter", "model");
  const raw = body.messages;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw badRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      "messages",
      "empty_array",
    );
  }
  const messages = raw.map((m: unknown, i): ChatMessage => {
    const msg = m as Record<string, unknown>;
    if (typeof msg !== "object" || msg === null || typeof msg.role !== "string" || !ROLES.has(msg.role)) {
      throw badRequest(`Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`, "invalid_value");
    }
    return { role: msg.role as ChatMessage["role"], content: contentText(msg) };
  });
  const maxTokens =
    optionalInt(body.max_completion_tokens, "max_completion_tokens", 1) ??
    optionalInt(body.max_tokens, "max_tokens", 1) ??
    DEFAULT_MAX_TOKENS;
  const temperature = body.temperature ?? 1;
  if (typeof temperature !== "number" || temperature < 0 || temperature > 2) {
    throw badRequest(
      "Invalid 'temperature': expected a number between 0 and 2.",
      "temperature",
      "decimal_out_of_range",
    );
  }
  const n = optionalInt(body.n, "n", 1, 128) ?? 1;
  const seed = optionalInt(body.seed, "seed", -(2 ** 53), 2 ** 53);
  let stop: string[] | undefined;
  if (typeof body.stop === "string") stop = [body.stop];
  else if (Array.isArray(body.stop)) {
    if (body.stop.length > 4 || body.stop.some((s) => typeof s !== "string")) {
      throw badRequest("Invalid 'stop': expected a string or an array of at most 4 strings.", "stop");
    }
    stop = body.stop as string[];
  } else if (body.stop !== undefined && body.stop !== null) throw badRequest("Invalid type for 'stop'.", "stop");
  const options = body.stream_options as Record<string, unknown> | undefined | null;
  return {
    model,
    messages,
    maxTokens,
    temperature,
    n,
    seed,
    stop,
    stream: body.stream === true,
    includeUsage: options?.include_usage === true,
    shape: toolShape(body.tools, body.tool_choice, responseFormatShape(body.response_format)),
  };
}

function optionalInt(v: unknown, param: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(
      `Invalid '${param}': expected an integer between ${min} and ${max}.`,
      param,
      "integer_out_of_range",
    );
  }
  return v;
}

/** `usage.prompt_tokens` of a request's messages, the cookbook's way; a batch's enqueued tokens are counted so too. */
export function countPromptTokens(messages: unknown, counter: TokenCounter): number {
  return countExampleTokens({ messages }, "supervised", counter).total;
}

/** The answer to a chat completion request, before it is sent plain or streamed. */
async function answer(ctx: ServerContext, body: Record<string, unknown>, deployment?: string) {
  // A deployment name (Azure) stands for the model deployed under it, in the path or as `model`.
  const requested = deployment ?? (typeof body.model === "string" ? body.model : undefined);
  const deployed = requested === undefined ? undefined : ctx.store.deployments.get(requested);
  // Azure serves every model, base or fine-tuned, only through a deployment of it: a model's own name is no
  // deployment unless one was made under that name.
  if (deployment !== undefined && !deployed) {
    throw notFound(
      "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
      null,
      "DeploymentNotFound",
    );
  }
  const request = parseChatRequest(body, deployed?.properties.model.name);
  const { id: modelId, snapshot } = snapshotFor(ctx, request.model);
  const generations: Generation[] = [];
  for (let i = 0; i < request.n; i++) {
    const options = {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed === undefined ? undefined : request.seed + i,
      stop: request.stop,
    };
    const { shape } = request;
    generations.push(
      shape.kind === "text"
        ? ctx.trainer.generate(snapshot, request.messages, options)
        : ctx.trainer.generateJson(snapshot, request.messages, shape.schema, options),
    );
  }
  const counter = await tokenCounterForModel(modelId);
  const promptTokens = countPromptTokens(request.messages, counter);
  const completionTokens = generations.reduce((sum, g) => sum + counter.count(g.text), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const base = {
    id: newId.chat(),
    created: nowSeconds(ctx.clock),
    model: modelId,
    service_tier: "default",
    system_fingerprint: "fp_tunefile_local",
  };
  return { request, generations, usage, base };
}

function completionObject({ request, generations, usage, base }: Awaited<ReturnType<typeof answer>>) {
  const tool = request.shape.kind === "tool";
  return {
    ...base,
    object: "chat.completion",
    choices: generations.map((g, index) => ({
      index,
      message: assistantMessage(request.shape, g.text),
      logprobs: null,
      finish_reason: tool ? "tool_calls" : g.finishReason,
    })),
    usage,
  };
}

/** A non-streamed chat completion as a value (a batch's lines); bad input throws ApiError, as for the route. */
export async function chatCompletion(ctx: ServerContext, body: Record<string, unknown>) {
  return completionObject(await answer(ctx, { ...body, stream: false }));
}

async function complete(ctx: ServerContext, res: ServerResponse, body: Record<string, unknown>, deployment?: string) {
  const answered = await answer(ctx, body, deployment);
  const { request, generations, usage, base } = answered;
  if (!request.stream) {
    sendJson(res, 200, completionObject(answered));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const usageNull = request.includeUsage ? { usage: null } : {};
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) => {
    const chunk = { ...base, object: "chat.completion.chunk", choices, ...usageNull, ...extra };
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  const choice = (index: number, delta: unknown, finish_reason: string | null = null) => ({
    index,
    delta,
    logprobs: null,
    finish_reason,
  });
  generations.forEach((g, index) => {
    const { shape } = request;
    if (shape.kind === "tool") {
      // A tool call streams as one delta with the whole call, then its finish reason.
      const message = assistantMessage(shape, g.text) as {
        tool_calls: { id: string; type: string; function: unknown }[];
      };
      const calls = message.tool_calls.map((c, i) => ({ index: i, ...c }));
      send([choice(index, { role: "assistant", content: null, tool_calls: calls })]);
      send([choice(index, {}, "tool_calls")]);
      return;
    }
    send([choice(index, { role: "assistant", content: "", refusal: null })]);
    for (const piece of g.text.match(/\S*\s*/g)?.filter((p) => p !== "") ?? []) {
      send([choice(index, { content: piece })]);
    }
    send([choice(index, {}, g.finishReason)]);
  });
  if (request.includeUsage) send([], { usage });
  res.end("data: [DONE]\n\n");
}

export const chatRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/chat\/completions$/,
    handler: async (ctx, { req, res }) => complete(ctx, res, await readJsonObject(req)),
  },
  {
    // AzureOpenAI inserts the deployment into the path.
    method: "POST",
    pattern: /^\/deployments\/([^/]+)\/chat\/completions$/,
    handler: async (ctx, { req, res, params }) =>
      complete(ctx, res, await readJsonObject(req), decodeURIComponent(params[0] ?? "")),
  },
];

import { BadRequestError } from "openai";
import pLimit from "p-limit";
import type { Evaluation } from "../core/pipeline.generated.js";
import type { StageError } from "../engine/stage.js";
import type { Provider, ProviderIdentity } from "../providers/provider.js";
import type { BatchRequest } from "./batch/lines.js";
import type { RemoteCall } from "../providers/remote-call.js";
import { type CachedResponse, cacheKey, type ResponseCache } from "./cache.js";
import { gradeAnswer } from "./graders/grade.js";
import type { GradeContext, JudgeAnswer } from "./graders/types.js";
import type { EvalCandidate, EvalCell, EvalMessage, EvalPrompt } from "./types.js";

/** Default requests in flight at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Default longest answer, in tokens. */
export const DEFAULT_MAX_TOKENS = 256;
/** The judge needs room for its reasoning, and nothing random. */
export const JUDGE_PARAMS = { temperature: 0, max_completion_tokens: 400 };

export interface RunEvaluationInput {
  /** The pipeline's provider: every candidate's unless `providerFor` names another, and the judge's. */
  provider: Provider;
  /** A candidate's own provider (cross-provider comparisons); absent or undefined: `provider`. */
  providerFor?(candidate: EvalCandidate): Provider | undefined;
  candidates: readonly EvalCandidate[];
  prompts: readonly EvalPrompt[];
  params: Evaluation["params"];
  /** Requests in flight at once. Default: {@link DEFAULT_CONCURRENCY}. */
  concurrency?: number;
  cache: ResponseCache;
  /** Requests already known to fail for good (a batch's permanent errors): recorded, not asked again. */
  failures?: ReadonlyMap<string, StageError>;
  /** The retry owner around each request (makeRemoteCall), so 429s wait as long as retry-after says. */
  call: RemoteCall;
  /** Turns a request's failure into a recorded error (the provider's code and message, redacted). */
  describeError(err: unknown): StageError;
  /** Milliseconds on a monotonic-enough clock, for latencies. */
  now(): number;
  defaultJudgeModel: string;
  loadModule(path: string): Promise<unknown>;
  signal: AbortSignal;
  /** Told after each cell, for progress display. */
  onCell?(done: number, total: number, cell: EvalCell): void;
}

/** The parameters sent with every candidate request: temperature 0 and 256 tokens unless the pipeline says. */
export function completionParams(params: Evaluation["params"]): Record<string, unknown> {
  const p: Record<string, unknown> = {
    temperature: params?.temperature ?? 0,
    max_completion_tokens: params?.max_tokens ?? DEFAULT_MAX_TOKENS,
  };
  if (params?.top_p !== undefined) p.top_p = params.top_p;
  if (params?.seed !== undefined) p.seed = params.seed;
  return p;
}

/** The messages a candidate gets for a prompt: system, then the few-shot turns, then the user message. */
export function messagesFor(candidate: EvalCandidate, prompt: EvalPrompt): EvalMessage[] {
  const messages: EvalMessage[] = [];
  if (prompt.system !== undefined) messages.push({ role: "system", content: prompt.system });
  messages.push(...(candidate.shots ?? []));
  messages.push({ role: "user", content: prompt.user });
  return messages;
}

/**
 * Every candidate request of the evaluation, keyed as the cache keys it (judge requests are not known before the
 * answers, so they are not among them).
 */
export function plannedRequests(
  provider: ProviderIdentity,
  candidates: readonly EvalCandidate[],
  prompts: readonly EvalPrompt[],
  evalParams: Evaluation["params"],
): BatchRequest[] {
  const params = completionParams(evalParams);
  // Candidates on their own provider are asked synchronously: a batch goes to one service.
  const here = candidates.filter((c) => c.provider === undefined);
  return prompts.flatMap((prompt) =>
    here.map((candidate) => {
      const messages = messagesFor(candidate, prompt);
      return {
        key: cacheKey({ provider, model: candidate.model, messages, params }),
        model: candidate.model,
        messages,
        params,
      };
    }),
  );
}

/**
 * Asks every candidate every prompt (through the cache, at most `concurrency` at once, each request under the retry
 * owner) and grades the answers. A request that fails for good is recorded in its cell; an abort rejects.
 */
export async function runEvaluation(input: RunEvaluationInput): Promise<EvalCell[]> {
  const limit = pLimit(input.concurrency ?? DEFAULT_CONCURRENCY);
  const params = completionParams(input.params);
  const tasks = input.prompts.flatMap((prompt) => input.candidates.map((candidate) => ({ prompt, candidate })));
  let done = 0;
  return Promise.all(
    tasks.map(({ prompt, candidate }) =>
      limit(async () => {
        const cell = await evaluateCell(input, candidate, prompt, params);
        done += 1;
        input.onCell?.(done, tasks.length, cell);
        return cell;
      }),
    ),
  );
}

type Completion = { ok: true; response: CachedResponse; cached: boolean } | { ok: false; error: StageError };

/**
 * One chat completion, from the cache when this exact request was answered before. A failure is returned as the
 * recorded error; only an abort rejects. The cache keys the model; the request names it as the provider asks it
 * (`deploymentOf`: on Azure, the deployment serving it), so a rerun finds the answers whatever that was called.
 */
async function complete(
  input: RunEvaluationInput,
  model: string,
  messages: EvalMessage[],
  params: Record<string, unknown>,
  on = input.provider,
): Promise<Completion> {
  try {
    const request = { provider: on.identity, model, messages, params };
    const key = cacheKey(request);
    const hit = await input.cache.get(key);
    if (hit) return { ok: true, response: hit, cached: true };
    const known = input.failures?.get(key);
    if (known) return { ok: false, error: known };
    const started = input.now();
    const completion = await input.call(`chat completion (${model})`, (signal) =>
      createCompletion(on, model, messages, params, signal),
    );
    const latency = input.now() - started;
    const choice = completion.choices[0];
    const response: CachedResponse = {
      model: completion.model,
      // A refusal comes as `refusal` with no content; it is what the model answered, so graders see it.
      content: choice?.message.content ?? choice?.message.refusal ?? "",
      finish_reason: choice?.finish_reason ?? "unknown",
      usage: {
        prompt_tokens: completion.usage?.prompt_tokens ?? 0,
        completion_tokens: completion.usage?.completion_tokens ?? 0,
      },
      latency_ms: Math.max(0, Math.round(latency)),
    };
    await input.cache.put(key, request, response);
    return { ok: true, response, cached: false };
  } catch (err) {
    if (input.signal.aborted) throw err;
    return { ok: false, error: input.describeError(err) };
  }
}

/** Sampling settings a model may refuse: reasoning models (o-series, gpt-5) take only the default temperature, no top_p. */
const REFUSABLE = new Set(["temperature", "top_p"]);

/**
 * One request. A 400 naming a sampling setting the model refuses is answered by asking again without it (once per
 * setting), so a candidate or judge on such a model is evaluated at the only setting it has instead of failing every
 * request. The answer is cached under the request as configured.
 */
async function createCompletion(
  on: Provider,
  model: string,
  messages: EvalMessage[],
  params: Record<string, unknown>,
  signal: AbortSignal,
) {
  let sent = params;
  for (;;) {
    try {
      return await on.client.chat.completions.create(
        { model: on.deploymentOf(model), messages, ...sent, stream: false },
        { signal },
      );
    } catch (err) {
      const param = err instanceof BadRequestError ? err.param : undefined;
      if (!param || !REFUSABLE.has(param) || !(param in sent)) throw err;
      const { [param]: _refused, ...rest } = sent;
      sent = rest;
    }
  }
}

async function evaluateCell(
  input: RunEvaluationInput,
  candidate: EvalCandidate,
  prompt: EvalPrompt,
  params: Record<string, unknown>,
): Promise<EvalCell> {
  const answer = await complete(
    input,
    candidate.model,
    messagesFor(candidate, prompt),
    params,
    input.providerFor?.(candidate),
  );
  const cell = { prompt: prompt.id, candidate: candidate.label };
  if (!answer.ok) return { ...cell, cached: false, error: answer.error, grades: [], pass: false };
  // A judge request that failed after its retries is a failed request, like the answer's own: the cell gets its
  // error, so the stage fails and a rerun asks the judge again, instead of the outage being recorded as a fail.
  let judgeFailure: EvalCell["error"];
  const ctx: GradeContext = {
    prompt,
    defaultJudgeModel: input.defaultJudgeModel,
    loadModule: input.loadModule,
    judge: async (model, messages): Promise<JudgeAnswer> => {
      const judged = await complete(input, model, messages, JUDGE_PARAMS);
      if (judged.ok) return { ok: true, text: judged.response.content };
      judgeFailure ??= { ...judged.error, message: `judge ${model}: ${judged.error.message}` };
      return { ok: false, message: judged.error.message };
    },
  };
  const { content, finish_reason, usage, latency_ms } = answer.response;
  const grades = await gradeAnswer(prompt.graders, content, ctx);
  return {
    ...cell,
    output: content,
    finish_reason,
    usage,
    latency_ms,
    cached: answer.cached,
    grades,
    pass: grades.length > 0 && grades.every((g) => g.pass),
    ...(judgeFailure ? { error: judgeFailure } : {}),
  };
}

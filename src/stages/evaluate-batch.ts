import { toFile } from "openai";
import type { StageContext, StageError } from "../engine/stage.js";
import { type BatchState, checkpointOf } from "../engine/stage-io.js";
import { type BatchRequest, type BatchResult, buildParts, isTransient, parseResults } from "../eval/batch/lines.js";
import type { ResponseCache } from "../eval/cache.js";
import { providerCode, unlessNotFound } from "../providers/errors.js";
import { sendingOptions } from "../providers/files.js";
import type { Provider } from "../providers/provider.js";
import { outageHooks, type RemoteCall } from "../providers/remote-call.js";
import { createOrAdopt, describeProgress, follow, type JobTag } from "../providers/remote-job.js";
import { batchJobs } from "../providers/remote-jobs/batch.js";
import { logLine } from "./log.js";

/**
 * How many rounds of batches: follow-ups for requests that failed transiently (when the pipeline asks for batches)
 * or whose batch was refused at the enqueued-token limit.
 */
const MAX_ROUNDS = 3;

/**
 * The Batch API refuses a batch whose input tokens, with those of the organisation's unfinished batches for the same
 * model, pass the enqueued-token limit of its rate-limit tier; the batch fails while validating with this code and
 * "Please try again once some in_progress batches have been completed" (https://platform.openai.com/docs/guides/rate-limits,
 * "Batch API"; the error as reported in github.com/openai/openai-python/issues/2084).
 */
const TOKEN_LIMIT = "token_limit_exceeded";

export type BatchOutcome =
  /** `answered`: how many answers the batches put into the cache in this run. */
  { kind: "answered"; failures: Map<string, StageError>; answered: number } | { kind: "detached"; message: string };

export interface BatchInput {
  ctx: StageContext;
  provider: Provider;
  call: RemoteCall;
  cache: ResponseCache;
  requests: readonly BatchRequest[];
  /** What to do with requests that failed transiently: another batch, or leave them to the synchronous pass. */
  retry: "batch" | "sync";
  /**
   * Whether requests the batches leave unanswered may go to the synchronous pass. Not under `budget.max_usd`
   * without --yes: the budget was checked at batch prices, and a synchronous request costs twice as much.
   */
  syncFallback: boolean;
}

/**
 * Batch mode: the requests the cache does not hold go to the provider as batches (half price, off the rate limits).
 * Each part's intent is recorded before its create and its id as soon as it is known, and a rerun adopts a batch
 * tagged with the same pipeline, fingerprint and part before it creates one, so a kill at any instant never makes
 * a second batch for the same requests. Answers go into the same cache the synchronous pass reads, which then
 * grades them; permanent failures come back so that they are not asked again.
 */
export async function answerWithBatches(input: BatchInput): Promise<BatchOutcome> {
  const failures = new Map<string, StageError>();
  const retry = input.syncFallback ? input.retry : "batch";
  const afterLastRound = input.syncFallback ? "its requests are asked synchronously" : "its requests stay unanswered";
  let answered = 0;
  // Results count only for requests still unanswered: an earlier batch read again also holds answers the cache has.
  // `limited`: a batch was refused at the enqueued-token limit, which frees up as the others finish.
  // `round`: which round of new batches these are; none for the batches of an earlier attempt.
  const take = async (states: Map<string, BatchState>, pending: readonly BatchRequest[], round?: number) => {
    const open = new Set(pending.map((r) => r.key));
    const transient: string[] = [];
    let limited = false;
    for (const [tag, state] of states) {
      const { results, failed } = await collect(input, tag, state);
      if (failed) {
        const refused = failed.code === TOKEN_LIMIT;
        limited ||= refused;
        const next =
          round === undefined || ((refused || retry === "batch") && round < MAX_ROUNDS - 1)
            ? "its requests go into a new batch"
            : afterLastRound;
        logLine(input.ctx, `batch ${state.batch_id} failed (${failed.code}: ${failed.message}); ${next}`, "warn");
      }
      for (const result of results) {
        if (!open.has(result.key)) continue;
        if (result.kind === "answer") {
          answered += 1;
          open.delete(result.key);
        } else if (isTransient(result)) transient.push(result.key);
        else failures.set(result.key, { code: providerCode(result.code), message: result.message });
      }
    }
    return { transient, limited };
  };
  // The batches of an earlier attempt are paid for: their answers are taken first, whatever the batch ended as (an
  // expired or cancelled one keeps what it completed). Only then are the requests still unanswered split into new
  // parts, whose contents can differ from the earlier ones (some answered, others failed), so a part is never
  // matched to an earlier batch by its contents alone.
  const before = await unanswered(input, failures);
  if (before.length > 0) {
    const earlier = await earlierBatches(input);
    if (input.ctx.options.detach && (await anyActive(input, earlier))) return detached(earlier);
    await take(earlier, before);
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pending = await unanswered(input, failures);
    if (pending.length === 0) break;
    const states = new Map<string, BatchState>();
    for (const part of buildParts(pending)) {
      const tag = partTag(input.ctx, part.sha256);
      states.set(tag, await ensureBatch(input, tag, part.text, part.sha256));
    }
    if (input.ctx.options.detach) return detached(states);
    const { transient, limited } = await take(states, pending, round);
    // Every batch of this round has ended, so the tokens they held are free again: a refused one is sent again as a
    // batch whatever `retry` says, at half the price of asking its requests synchronously.
    if (limited) continue;
    if (transient.length === 0 || retry === "sync") break;
    logLine(input.ctx, `${transient.length} request(s) failed transiently; sending them in another batch`, "warn");
  }
  if (!input.syncFallback) {
    const message =
      "not asked synchronously: the batches left it unanswered, and budget.max_usd was checked at batch prices (a synchronous request costs twice as much); run again to send it in a new batch, or with --yes to ask it synchronously";
    for (const r of await unanswered(input, failures)) failures.set(r.key, { code: "held-by-budget", message });
  }
  return { kind: "answered", failures, answered };
}

function detached(states: Map<string, BatchState>): BatchOutcome {
  const ids = [...states.values()].map((s) => s.batch_id).join(", ");
  return { kind: "detached", message: `${states.size} batch(es) exist (${ids}); \`tunefile watch\` follows them` };
}

/**
 * Every batch this stage recorded, collected or not: a lost cache is filled again from them rather than paid for
 * twice. A part whose create was recorded but whose id was not (a kill or a lost response just then) is looked up
 * by its tag; one that never reached the provider has nothing to collect.
 */
async function earlierBatches(input: BatchInput): Promise<Map<string, BatchState>> {
  const { ctx, provider, call } = input;
  const out = new Map<string, BatchState>();
  for (const [tag, recorded] of Object.entries(batchStates(ctx))) {
    let state = recorded;
    if (!state.batch_id && state.intent_at && state.file_id) {
      const rule = { tag: jobTagOf(ctx, tag), exclude: [], spec: batchSpec(state.file_id) };
      const found = await batchJobs(provider.client).findOwn(call, rule);
      if (found) {
        state = { ...state, batch_id: found.id };
        await save(ctx, tag, state);
      }
    }
    if (state.batch_id) out.set(tag, state);
  }
  return out;
}

async function anyActive(input: BatchInput, states: Map<string, BatchState>): Promise<boolean> {
  const kind = batchJobs(input.provider.client);
  for (const { batch_id } of states.values()) {
    const batch = await unlessNotFound(kind.retrieve(input.call, batch_id!));
    if (batch && kind.phase(batch) === "active") return true;
  }
  return false;
}

/**
 * A part's name in the lockfile and in its batch's metadata: its contents' hash and how many batches of the same
 * contents came before (a part all of whose requests failed transiently is sent again as the same contents). Not
 * its position among the parts: that shifts when some parts were answered before a restart. A recorded part of
 * the same contents whose batch was never made (only its upload or intent was recorded) is taken up again.
 */
function partTag(ctx: StageContext, sha256: string): string {
  const same = Object.entries(batchStates(ctx)).filter(([, state]) => state.sha256 === sha256);
  const unmade = same.find(([, state]) => !state.batch_id);
  return unmade ? unmade[0] : `${sha256.slice(0, 16)}:${same.length}`;
}

/** The requests without an answer in the cache and without a permanent failure, each once. */
async function unanswered(input: BatchInput, failures: Map<string, StageError>): Promise<BatchRequest[]> {
  const seen = new Set<string>();
  const out: BatchRequest[] = [];
  for (const r of input.requests) {
    if (seen.has(r.key) || failures.has(r.key)) continue;
    seen.add(r.key);
    if (!(await input.cache.get(r.key))) out.push(r);
  }
  return out;
}

function batchStates(ctx: StageContext): Record<string, BatchState> {
  return { ...(checkpointOf("evaluate", ctx.previous).batches ?? {}), ...current.get(ctx) };
}

/** This run's writes, so that a part's state is read back within the same run. */
const current = new WeakMap<StageContext, Record<string, BatchState>>();

async function save(ctx: StageContext, tag: string, state: BatchState): Promise<void> {
  current.set(ctx, { ...current.get(ctx), [tag]: state });
  await ctx.saveCheckpoint({ batches: batchStates(ctx) });
}

/** The part's batch: an adopted one (a create whose answer was lost), else a new one. */
async function ensureBatch(input: BatchInput, tag: string, text: string, sha256: string): Promise<BatchState> {
  const { ctx, provider, call } = input;
  const kind = batchJobs(provider.client);
  let state: BatchState = batchStates(ctx)[tag] ?? { sha256 };
  if (!state.file_id) {
    // A kill between the upload and this record leaves a stray input file, never a second batch.
    const bytes = Buffer.from(text);
    const upload = await toFile(bytes, `${ctx.pipeline.config.name}-eval-${sha256.slice(0, 12)}.jsonl`);
    const file = await call("files.create (batch input)", (signal) =>
      provider.client.files.create(
        { file: upload, purpose: "batch" },
        sendingOptions(provider.client, bytes.length, signal),
      ),
    );
    state = { ...state, file_id: file.id };
    await save(ctx, tag, state);
  }
  const rule = { tag: jobTagOf(ctx, tag), exclude: [], spec: batchSpec(state.file_id!) };
  const result = await createOrAdopt(kind, call, rule, async () => {
    state = { ...state, intent_at: state.intent_at ?? ctx.clock.now().toISOString() };
    await save(ctx, tag, state);
    return Math.floor(Date.parse(state.intent_at!) / 1000);
  });
  state = { ...state, batch_id: result.job.id };
  await save(ctx, tag, state);
  if (result.adopted) logLine(ctx, `adopted ${result.job.id} for part ${tag}`);
  return state;
}

function batchSpec(fileId: string) {
  return { input_file_id: fileId, endpoint: "/v1/chat/completions" as const, completion_window: "24h" as const };
}

function jobTagOf(ctx: StageContext, part: string): JobTag {
  return {
    tunefile_pipeline: ctx.pipeline.config.name,
    tunefile_stage: "evaluate",
    tunefile_fingerprint: ctx.fingerprint,
    tunefile_part: part,
  };
}

/**
 * Follows a part's batch to its end and puts every answer into the cache; returns every result line and, for a
 * batch that failed as a whole, its first error.
 */
async function collect(
  input: BatchInput,
  tag: string,
  state: BatchState,
): Promise<{ results: BatchResult[]; failed?: { code: string; message: string } }> {
  const { ctx, provider, call } = input;
  if (!state.batch_id) return { results: [] };
  const kind = batchJobs(provider.client);
  const batch = await follow(kind, state.batch_id, {
    call,
    clock: ctx.clock,
    signal: ctx.signal,
    maxPollMs: (ctx.pipeline.config.evaluation?.batch?.poll_seconds ?? 10) * 1000,
    onEvent: () => {},
    onProgress: (p) =>
      ctx.emit({
        type: "stage-progress",
        stage: "evaluate",
        message: `batch ${state.batch_id} ${describeProgress(p)}`,
        ...(p.step !== undefined ? { step: p.step } : {}),
        ...(p.totalSteps !== undefined ? { totalSteps: p.totalSteps } : {}),
      }),
    ...outageHooks(ctx, state.batch_id),
  });
  const results = [...(await download(input, batch.output_file_id)), ...(await download(input, batch.error_file_id))];
  const byKey = new Map(input.requests.map((q) => [q.key, q]));
  for (const r of results) {
    const request = byKey.get(r.key);
    if (r.kind === "answer" && request) {
      const { key: _key, ...asked } = request;
      await input.cache.put(r.key, { provider: provider.identity, ...asked }, r.response);
    }
  }
  await save(ctx, tag, { ...state, done: true });
  if (batch.status !== "failed") return { results };
  const first = batch.errors?.data?.[0];
  return { results, failed: { code: first?.code ?? "error", message: first?.message ?? "no reason given" } };
}

/** A result file's lines; none when it is gone (the provider deletes them after a while). */
async function download(input: BatchInput, fileId: string | undefined | null): Promise<BatchResult[]> {
  if (!fileId) return [];
  const text = await unlessNotFound(
    input.call("files.content (batch results)", async (signal) =>
      (await input.provider.client.files.content(fileId, { signal })).text(),
    ),
  );
  return text === undefined ? [] : parseResults(text);
}

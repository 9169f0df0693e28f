import type { Clock } from "../../core/clock.js";
import { tokenCounterForModel } from "../../data/tokens.js";
import { nowSeconds, type ServerContext } from "../context.js";
import { ApiError } from "../http.js";
import { newId } from "../ids.js";
import type { BatchObject, FileObject } from "../records.js";
import { chatCompletion, countPromptTokens } from "../routes/chat.js";
import { snapshotFor } from "../routes/models.js";
import { type BatchLine, validateInput } from "./validate.js";

export interface BatchRunnerOptions {
  clock: Clock;
  /** Minimum wall time per request while a batch is in progress (TUNEFILE_LOCAL_BATCH_MS). Default 0. */
  requestMs: number;
  /**
   * The organisation's enqueued-token limit per model (TUNEFILE_LOCAL_BATCH_TOKENS): the input tokens of the
   * batches past validation and not yet ended. 0: none.
   */
  tokenLimit: number;
  /** Aborted when the server closes: loops stop where they are, and the batch resumes on the next start. */
  signal: AbortSignal;
}

/** The Batch API's completion window: a batch not done 24 hours after its creation expires. */
export const COMPLETION_WINDOW_SECONDS = 24 * 3600;

/**
 * Runs batches in the background, one request at a time through the chat completion code: `validating` →
 * `in_progress` → `finalizing` → `completed` (or `failed`, or `cancelling` → `cancelled` with the answers so far).
 * A batch cut off by a stop starts over on the next start (its answers are deterministic), as a training job does.
 */
export class BatchRunner {
  private readonly loops = new Map<string, Promise<void>>();
  /** The batches that hold enqueued tokens: past validation, not ended. Freed when the batch's loop ends. */
  private readonly enqueued = new Map<string, { model: string; tokens: number }>();

  constructor(private readonly o: BatchRunnerOptions) {}

  /** Starts (or, after a restart, resumes) every batch that is not finished. */
  recover(ctx: ServerContext): void {
    for (const batch of ctx.store.batches.values()) {
      if (["validating", "in_progress", "finalizing", "cancelling"].includes(batch.status)) this.start(ctx, batch.id);
    }
  }

  start(ctx: ServerContext, id: string): void {
    if (this.loops.has(id)) return;
    const loop = this.run(ctx, id).finally(() => {
      this.loops.delete(id);
      this.enqueued.delete(id);
    });
    this.loops.set(id, loop);
  }

  /** Waits for the loops to stop (after the signal aborted). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.loops.values()]);
  }

  private async run(ctx: ServerContext, id: string): Promise<void> {
    const now = () => nowSeconds(this.o.clock);
    let batch = ctx.store.batches.get(id);
    if (!batch) return;
    const save = async (patch: Partial<BatchObject>) => {
      // Read back first: a cancel may have changed the status meanwhile.
      batch = { ...(ctx.store.batches.get(id) ?? batch!), ...patch };
      await ctx.store.saveBatch(batch);
    };
    const input = await ctx.store.fileBytes(batch.input_file_id).catch(() => undefined);
    const checked = input ? validateInput(input.toString("utf8"), batch.endpoint) : undefined;
    if (!checked?.ok) {
      const data = checked?.errors ?? [
        {
          code: "invalid_file",
          message: `No such File object: ${batch.input_file_id}`,
          param: "input_file_id",
          line: null,
        },
      ];
      await save({ status: "failed", failed_at: now(), errors: { object: "list", data } });
      return;
    }
    const current = () => ctx.store.batches.get(id)?.status;
    if (this.o.tokenLimit > 0) {
      // Counted, then checked and held with no await in between, so two batches validating at once cannot both fit.
      const held = await enqueuedTokens(ctx, checked.lines);
      const queued = [...this.enqueued.values()]
        .filter((e) => e.model === held.model)
        .reduce((n, e) => n + e.tokens, 0);
      if (current() === "validating" && queued + held.tokens > this.o.tokenLimit) {
        const limit = this.o.tokenLimit.toLocaleString("en-US");
        const message = `Enqueued token limit reached for ${held.model} in organization org-local. Limit: ${limit} enqueued tokens. Please try again once some in_progress batches have been completed.`;
        const data = [{ code: "token_limit_exceeded", message, param: null, line: null }];
        await save({ status: "failed", failed_at: now(), errors: { object: "list", data } });
        return;
      }
      this.enqueued.set(id, held);
    }
    const total = checked.lines.length;
    const counts = { total, completed: 0, failed: 0 };
    // A cancel that arrived while validating wins: the batch goes straight to cancelled.
    if (current() === "validating")
      await save({ status: "in_progress", in_progress_at: now(), request_counts: counts });
    const output: string[] = [];
    const errors: string[] = [];
    for (const line of checked.lines) {
      if (this.o.signal.aborted) return;
      if (current() === "cancelling") break;
      const started = this.o.clock.now().getTime();
      const record = await answerLine(ctx, line.custom_id, line.body);
      (record.ok ? output : errors).push(record.line);
      counts[record.ok ? "completed" : "failed"] += 1;
      await save({ request_counts: { ...counts } });
      const left = this.o.requestMs - (this.o.clock.now().getTime() - started);
      if (left > 0) {
        try {
          await this.o.clock.sleep(left, this.o.signal);
        } catch {
          return;
        }
      }
    }
    const cancelling = current() === "cancelling";
    if (!cancelling) await save({ status: "finalizing", finalizing_at: now() });
    const outputFile = await writeFile(ctx, id, "output", output);
    const errorFile = await writeFile(ctx, id, "error", errors);
    // Freed before the status says ended, so that whoever sees it ended can enqueue as much again.
    this.enqueued.delete(id);
    await save({
      ...(outputFile ? { output_file_id: outputFile.id } : {}),
      ...(errorFile ? { error_file_id: errorFile.id } : {}),
      ...(cancelling ? { status: "cancelled", cancelled_at: now() } : { status: "completed", completed_at: now() }),
    });
  }
}

/** The batch's model and its input tokens, as the chat completion's `usage.prompt_tokens` counts them. */
async function enqueuedTokens(ctx: ServerContext, lines: BatchLine[]): Promise<{ model: string; tokens: number }> {
  const model = lines.map((l) => l.body.model).find((m) => typeof m === "string") ?? "";
  let id: string;
  try {
    id = snapshotFor(ctx, model).id;
  } catch {
    // An unknown model: every request fails on its own, and nothing is enqueued.
    return { model, tokens: 0 };
  }
  const counter = await tokenCounterForModel(id);
  const tokens = lines.reduce((n, l) => n + countPromptTokens(l.body.messages, counter), 0);
  return { model, tokens };
}

/** One input line's result line: the completion, or the error the endpoint would have answered, with its status. */
async function answerLine(
  ctx: ServerContext,
  customId: string,
  body: Record<string, unknown>,
): Promise<{ ok: boolean; line: string }> {
  let status_code = 200;
  let answer: unknown;
  try {
    answer = await chatCompletion(ctx, body);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const { status, ...error } = err.failure;
    status_code = status;
    answer = { error };
  }
  const response = { status_code, request_id: newId.request(), body: answer };
  const line = { id: newId.batchRequest(), custom_id: customId, response, error: null };
  return { ok: status_code === 200, line: JSON.stringify(line) };
}

async function writeFile(
  ctx: ServerContext,
  id: string,
  kind: "output" | "error",
  lines: string[],
): Promise<FileObject | undefined> {
  if (lines.length === 0) return undefined;
  const bytes = Buffer.from(`${lines.join("\n")}\n`);
  return ctx.store.addFile(`${id}_${kind}.jsonl`, "batch_output", nowSeconds(ctx.clock), bytes);
}

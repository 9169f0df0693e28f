import type { OpenAI } from "openai";
import type { FineTuningJob, FineTuningJobEvent } from "openai/resources/fine-tuning/jobs/jobs";
import type { Clock } from "../core/clock.js";
import { TERMINAL_STATUSES } from "./jobs.js";
import type { RemoteCall } from "./remote-call.js";

/** Where a running job is, from its latest metrics event. */
export interface TrainingProgress {
  status: string;
  step?: number;
  totalSteps?: number;
  loss?: number;
  /** From the step rate seen by this monitor; absent until two steps were seen. */
  etaSeconds?: number;
}

export interface MonitorOptions {
  client: OpenAI;
  call: RemoteCall;
  clock: Clock;
  /** Abort stops watching (the sleep or request in flight rejects with the signal's reason); the job keeps running. */
  signal: AbortSignal;
  jobId: string;
  /** Longest wait between polls (training.poll_seconds). Default: 10 000 ms. */
  maxPollMs?: number;
  /** First wait between polls; it grows by half after each poll that saw nothing new, up to maxPollMs. Default: 1 000 ms. */
  minPollMs?: number;
  /**
   * The newest event shown by an earlier watch of this job (the train stage keeps it in its checkpoint): a
   * re-attach shows only events after it. Events older than it are skipped too, in case the provider dropped it
   * (the local provider drops an interrupted run's progress when it restarts the job).
   */
  after?: { id: string; created_at: number };
  /** New events, oldest first, each once. */
  onEvent(event: FineTuningJobEvent): void;
  /** Called after each poll that changed the status or the step. */
  onProgress(progress: TrainingProgress): void;
  /** Whether an error is worth waiting out (connection, 429, 5xx); others end the watch. */
  isTransient(err: unknown): boolean;
  /** Told when a poll failed even after its retries; polling goes on. */
  onLostContact(err: unknown): void;
}

/** Most event pages read per poll: a re-attach to a long job reads its recent history, not all of it. */
const MAX_EVENT_PAGES = 5;

/**
 * Watches a job to its end: polls with a growing interval, streams new events deduplicated by id, reports
 * step/total, loss and an ETA, and returns the job once it is succeeded, failed or cancelled.
 */
export async function monitorJob(opts: MonitorOptions): Promise<FineTuningJob> {
  const maxPollMs = opts.maxPollMs ?? 10_000;
  let delay = Math.min(opts.minPollMs ?? 1_000, maxPollMs);
  const seen = new Set<string>(opts.after ? [opts.after.id] : []);
  const rate = new StepRate();
  let last: TrainingProgress = { status: "" };
  let metrics: Pick<TrainingProgress, "step" | "totalSteps" | "loss"> = {};

  for (;;) {
    let job: FineTuningJob;
    let fresh: FineTuningJobEvent[];
    try {
      job = await opts.call("fine_tuning.jobs.retrieve", (signal) =>
        opts.client.fineTuning.jobs.retrieve(opts.jobId, { signal }),
      );
      fresh = await newEvents(opts, seen);
    } catch (err) {
      // The job runs on without us: an outage longer than one call's retries is waited out, not a failure.
      if (opts.signal.aborted || !opts.isTransient(err)) throw err;
      opts.onLostContact(err);
      await opts.clock.sleep(maxPollMs, opts.signal);
      continue;
    }
    for (const event of fresh) {
      opts.onEvent(event);
      metrics = { ...metrics, ...metricsOf(event) };
    }
    const progress: TrainingProgress = { status: job.status, ...metrics };
    if (progress.step !== undefined) {
      const eta = rate.observe(progress.step, progress.totalSteps, opts.clock.now());
      if (eta !== undefined) progress.etaSeconds = eta;
    }
    const changed = fresh.length > 0 || progress.status !== last.status;
    if (progress.status !== last.status || progress.step !== last.step) opts.onProgress(progress);
    last = progress;
    if (TERMINAL_STATUSES.has(job.status)) return job;
    await opts.clock.sleep(delay, opts.signal);
    // Back off only while nothing happens (a job queued for an hour); while it moves, keep the pace so the display
    // follows it.
    if (!changed) delay = Math.min(maxPollMs, Math.round(delay * 1.5));
  }
}

/** Events not seen yet, oldest first. Lists are newest first, so read pages until a seen id. */
async function newEvents(opts: MonitorOptions, seen: Set<string>): Promise<FineTuningJobEvent[]> {
  const fresh: FineTuningJobEvent[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_EVENT_PAGES; page++) {
    const cursor = after;
    const result = await opts.call("fine_tuning.jobs.listEvents", (signal) =>
      opts.client.fineTuning.jobs.listEvents(
        opts.jobId,
        { limit: 100, ...(cursor ? { after: cursor } : {}) },
        { signal },
      ),
    );
    let reachedSeen = false;
    for (const event of result.data) {
      // Lists are newest first: the first event seen (or older than the one shown before) ends the new ones.
      if (seen.has(event.id) || (opts.after && event.created_at < opts.after.created_at)) {
        reachedSeen = true;
        break;
      }
      fresh.push(event);
    }
    if (reachedSeen || !result.has_more || result.data.length === 0) break;
    after = result.data[result.data.length - 1]?.id;
  }
  for (const event of fresh) seen.add(event.id);
  return fresh.reverse();
}

/** Step, total and training loss of a metrics event. */
export function metricsOf(event: FineTuningJobEvent): Pick<TrainingProgress, "step" | "totalSteps" | "loss"> {
  if (event.type !== "metrics" || !event.data || typeof event.data !== "object") return {};
  const data = event.data as Record<string, unknown>;
  const out: Pick<TrainingProgress, "step" | "totalSteps" | "loss"> = {};
  if (typeof data.step === "number") out.step = data.step;
  if (typeof data.total_steps === "number") out.totalSteps = data.total_steps;
  if (typeof data.train_loss === "number") out.loss = data.train_loss;
  return out;
}

/** Seconds left at the rate steps advanced since this monitor first saw one. */
class StepRate {
  private first: { step: number; at: number } | undefined;

  observe(step: number, total: number | undefined, now: Date): number | undefined {
    const at = now.getTime();
    if (!this.first) {
      this.first = { step, at };
      return undefined;
    }
    const steps = step - this.first.step;
    if (steps <= 0 || total === undefined) return undefined;
    const msPerStep = (at - this.first.at) / steps;
    return Math.max(0, Math.round(((total - step) * msPerStep) / 1000));
  }
}

/** "step 42/100, loss 0.3100, about 2m left" for the task list. */
export function describeProgress(p: TrainingProgress): string {
  const parts: string[] = [];
  if (p.step !== undefined) parts.push(`step ${p.step}${p.totalSteps !== undefined ? `/${p.totalSteps}` : ""}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.etaSeconds !== undefined) parts.push(`about ${formatDuration(p.etaSeconds)} left`);
  return parts.length > 0 ? `${p.status}: ${parts.join(", ")}` : p.status;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

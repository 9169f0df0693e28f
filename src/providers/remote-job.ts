import { BadRequestError } from "openai";
import type { Clock } from "../core/clock.js";
import { unlessNotFound } from "./errors.js";
import type { RemoteCall } from "./remote-call.js";

/**
 * The one owner of long-lived remote objects (fine-tuning jobs of every provider, batches): create-or-adopt with the
 * intent recorded before the create, follow with backoff and deduplicated events, cancel, and describe for
 * `status`. What differs between kinds of job (requests, statuses, where progress comes from) is a `RemoteJobKind`.
 */

/** Where a job stands, in the terms every kind shares. Statuses are open strings (Azure adds its own). */
export type JobPhase = "active" | "succeeded" | "failed" | "cancelled";

/** Metadata that ties a remote object to the pipeline stage and fingerprint that created it. */
export interface JobTag {
  tunefile_pipeline: string;
  tunefile_stage: string;
  tunefile_fingerprint: string;
  /** Which of a stage's several jobs this is (a batch part: its content hash and how many came before it). */
  tunefile_part?: string;
}

/** Where a job is: its status and whatever progress its kind can tell. */
export interface JobProgress {
  status: string;
  step?: number;
  totalSteps?: number;
  loss?: number;
  /** From the step rate seen by this follower; absent until two steps were seen. */
  etaSeconds?: number;
}

/** One event of a job, as the kind reads it. `progress` events update the numbers and are not shown as lines. */
export interface JobEvent {
  id: string;
  created_at: number;
  level: "info" | "warn" | "error";
  message: string;
  progress?: Pick<JobProgress, "step" | "totalSteps" | "loss">;
}

/** Which existing jobs are ours to adopt instead of creating one. */
export interface AdoptionRule<Spec> {
  tag: JobTag;
  /** Jobs a --force run replaces: never adopted. */
  exclude: readonly string[];
  /** The create request; on services that drop metadata, it is what identifies our job. */
  spec: Spec;
  /**
   * Unix seconds of the first create intent on record, if any. A job without metadata, made from the same spec since
   * then (less clock skew), is ours too: on a service that keeps no metadata, that is how a lost create is found.
   */
  untaggedSince?: number;
}

/** Server clocks and ours differ; a job made this long before our intent still counts as ours. */
export const CLOCK_SKEW_SECONDS = 300;

/** A listed job we may adopt: it can still succeed, and no --force run replaced it. */
export function adoptable(phase: JobPhase, id: string, rule: Pick<AdoptionRule<unknown>, "exclude">): boolean {
  return phase !== "failed" && phase !== "cancelled" && !rule.exclude.includes(id);
}

/** Metadata that carries every field of the tag. */
export function hasTag(metadata: Record<string, string> | null | undefined, tag: JobTag): boolean {
  return Object.entries(tag).every(([k, v]) => metadata?.[k] === v);
}

/** What differs between kinds of remote job. Every method makes its requests through `call` (retries, redaction). */
export interface RemoteJobKind<Job extends { id: string }, Spec> {
  /** The API's name for retry messages, e.g. "fine_tuning.jobs". */
  readonly api: string;
  phase(job: Job): JobPhase;
  status(job: Job): string;
  /** Ours (see AdoptionRule) and still able to succeed, newest first; undefined when none. */
  findOwn(call: RemoteCall, rule: AdoptionRule<Spec>): Promise<Job | undefined>;
  /** One create request (the owner wraps it in `call`, so it runs inside the retry loop). */
  create(spec: Spec, tag: JobTag, signal: AbortSignal): Promise<Job>;
  retrieve(call: RemoteCall, id: string): Promise<Job>;
  cancel(call: RemoteCall, id: string): Promise<Job>;
  /** Progress the job object itself carries (a batch's request counts); events carry the rest. */
  progressOf(job: Job): Pick<JobProgress, "step" | "totalSteps" | "loss">;
  /** Events newer than the newest in `seen` (and not older than `after`), oldest first; [] for kinds without. */
  newEvents(call: RemoteCall, id: string, seen: ReadonlySet<string>, after?: EventMark): Promise<JobEvent[]>;
  /** The newest few events, newest first, for `status`. */
  recentEvents(call: RemoteCall, id: string): Promise<JobEvent[]>;
}

/** The newest event shown so far: a re-attach shows only later ones. */
export type EventMark = Pick<JobEvent, "id" | "created_at">;

/**
 * Creates the job unless one of ours exists, and never blindly twice: when a create fails transiently (the response
 * may have been lost after the job was made), the next attempt looks for it and adopts it before creating again.
 * `recordIntent` runs before every create call; it writes the intent to the lockfile and returns the unix seconds
 * of the first intent, which lets a retry recognise its job on services that drop metadata.
 */
export async function createOrAdopt<Job extends { id: string }, Spec>(
  kind: RemoteJobKind<Job, Spec>,
  call: RemoteCall,
  rule: AdoptionRule<Spec>,
  recordIntent: () => Promise<number>,
): Promise<{ job: Job; adopted: boolean }> {
  const existing = await kind.findOwn(call, rule);
  if (existing) return { job: existing, adopted: true };
  let since = rule.untaggedSince;
  return call(`${kind.api}.create`, async (signal, attempt) => {
    if (attempt > 1) {
      // The previous create may have made the job before failing: look before creating again. The listing has
      // its own retries, so a flaky list does not use up the create's attempts.
      const found = await kind.findOwn(call, { ...rule, ...(since !== undefined ? { untaggedSince: since } : {}) });
      if (found) return { job: found, adopted: true };
    }
    since = await recordIntent();
    return { job: await kind.create(rule.spec, rule.tag, signal), adopted: false };
  });
}

/** The recorded job while it can still succeed; undefined when it failed, was cancelled or is unknown (a 404). */
export async function resumable<Job extends { id: string }, Spec>(
  kind: RemoteJobKind<Job, Spec>,
  call: RemoteCall,
  id: string,
): Promise<Job | undefined> {
  const job = await unlessNotFound(kind.retrieve(call, id));
  const phase = job && kind.phase(job);
  return phase === "failed" || phase === "cancelled" ? undefined : job;
}

export interface FollowOptions {
  call: RemoteCall;
  clock: Clock;
  /** Abort stops following (the sleep or request in flight rejects with the signal's reason); the job keeps running. */
  signal: AbortSignal;
  /** Longest wait between polls (the pipeline's poll_seconds). The first wait is 1 s at most. */
  maxPollMs: number;
  /** The newest event an earlier follower showed: only later ones are shown. */
  after?: EventMark;
  /** New events, oldest first, each once (progress-only events included; the caller decides what to show). */
  onEvent(event: JobEvent): void;
  /** Called after each poll that changed the status or the step. */
  onProgress(progress: JobProgress): void;
  /** Whether an error is worth waiting out (connection, 429, 5xx); others end the follow. */
  isTransient(err: unknown): boolean;
  /** Told when a poll failed even after its retries; polling goes on. */
  onLostContact(err: unknown): void;
}

/**
 * Follows a job to its end: polls with a growing interval while nothing changes, streams new events deduplicated by
 * id, reports progress with an ETA, and returns the job once it has succeeded, failed or been cancelled.
 */
export async function follow<Job extends { id: string }, Spec>(
  kind: RemoteJobKind<Job, Spec>,
  id: string,
  opts: FollowOptions,
): Promise<Job> {
  const { maxPollMs } = opts;
  let delay = Math.min(1_000, maxPollMs);
  const seen = new Set<string>(opts.after ? [opts.after.id] : []);
  let first: { step: number; at: number } | undefined; // the first step this follower saw, for the ETA
  let last: JobProgress = { status: "" };
  let numbers: Pick<JobProgress, "step" | "totalSteps" | "loss"> = {};
  for (;;) {
    let job: Job;
    let fresh: JobEvent[];
    try {
      job = await kind.retrieve(opts.call, id);
      fresh = await kind.newEvents(opts.call, id, seen, opts.after);
    } catch (err) {
      // The job runs on without us: an outage longer than one call's retries is waited out, not a failure.
      if (opts.signal.aborted || !opts.isTransient(err)) throw err;
      opts.onLostContact(err);
      await opts.clock.sleep(maxPollMs, opts.signal);
      continue;
    }
    for (const event of fresh) {
      seen.add(event.id);
      opts.onEvent(event);
      numbers = { ...numbers, ...event.progress };
    }
    const progress: JobProgress = { status: kind.status(job), ...numbers, ...kind.progressOf(job) };
    if (progress.step !== undefined) {
      const at = opts.clock.now().getTime();
      first ??= { step: progress.step, at };
      const steps = progress.step - first.step;
      if (steps > 0 && progress.totalSteps !== undefined) {
        const msPerStep = (at - first.at) / steps;
        progress.etaSeconds = Math.max(0, Math.round(((progress.totalSteps - progress.step) * msPerStep) / 1000));
      }
    }
    const moved = progress.status !== last.status || progress.step !== last.step;
    if (moved) opts.onProgress(progress);
    last = progress;
    if (kind.phase(job) !== "active") return job;
    await opts.clock.sleep(delay, opts.signal);
    // Back off only while nothing happens (a job queued for an hour); while it moves, the display keeps up.
    if (!moved && fresh.length === 0) delay = Math.min(maxPollMs, Math.round(delay * 1.5));
  }
}

/** Cancels a job. One that ended meanwhile cannot be (a 400): then it is read back, to say how it ended. */
export async function cancel<Job extends { id: string }, Spec>(
  kind: RemoteJobKind<Job, Spec>,
  call: RemoteCall,
  id: string,
): Promise<Job> {
  try {
    return await kind.cancel(call, id);
  } catch (err) {
    if (!(err instanceof BadRequestError)) throw err;
    const job = await kind.retrieve(call, id);
    if (kind.phase(job) === "active") throw err;
    return job;
  }
}

/** Where a job is, for `status`: two requests (the job, its newest events). */
export interface JobDescription extends JobProgress {
  job_id: string;
  phase: JobPhase;
  /** The newest event's message, e.g. "Step 42/100: training loss=0.31". */
  latest?: string;
}

export async function describe<Job extends { id: string }, Spec>(
  kind: RemoteJobKind<Job, Spec>,
  call: RemoteCall,
  id: string,
): Promise<{ job: Job; description: JobDescription }> {
  const job = await kind.retrieve(call, id);
  const events = await kind.recentEvents(call, id);
  const numbers = events.find((e) => e.progress)?.progress ?? {};
  const latest = events[0]?.message;
  return {
    job,
    description: {
      job_id: job.id,
      status: kind.status(job),
      phase: kind.phase(job),
      ...numbers,
      ...kind.progressOf(job),
      ...(latest ? { latest } : {}),
    },
  };
}

/** "step 42/100, loss 0.3100, about 2m left" for the task list. */
export function describeProgress(p: JobProgress): string {
  const parts: string[] = [];
  if (p.step !== undefined) parts.push(`step ${p.step}${p.totalSteps !== undefined ? `/${p.totalSteps}` : ""}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.etaSeconds !== undefined) parts.push(`about ${shortDuration(p.etaSeconds)} left`);
  return parts.length > 0 ? `${p.status}: ${parts.join(", ")}` : p.status;
}

function shortDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

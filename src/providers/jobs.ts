import type { OpenAI } from "openai";
import type { FineTuningJob, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import type { RemoteCall } from "./remote-call.js";

/** Metadata that ties a job to the pipeline stage and fingerprint that created it. */
export interface JobTag {
  tunefile_pipeline: string;
  tunefile_stage: "train";
  tunefile_fingerprint: string;
}

/** Job statuses after which nothing more happens. `status` is an open string (Azure adds its own). */
export const TERMINAL_STATUSES = new Set(["succeeded", "failed", "cancelled"]);

/** Jobs that may still produce the model: everything but failed and cancelled. */
function adoptable(job: FineTuningJob): boolean {
  const status: string = job.status;
  return status !== "failed" && status !== "cancelled";
}

/** How many jobs to scan when a provider ignores the metadata filter. */
const SCAN_LIMIT = 100;

/** Which existing jobs are ours to adopt instead of creating one. */
export interface AdoptionRule {
  tag: JobTag;
  /** Jobs a --force run replaces: never adopted. */
  exclude: readonly string[];
  /** The create request; on services that drop metadata, it is what identifies our job. */
  body: JobCreateParams;
  /**
   * Unix seconds of the first create intent on record. A job without any metadata, for the same training and
   * validation files, created since then (less clock skew) is ours too: the only way to recognise a lost create on
   * a service that does not keep metadata. Undefined while no create was ever attempted.
   */
  untaggedSince?: number;
}

/** Server clocks and ours differ; a job made this long before our intent still counts as ours. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * The newest job that is ours (see AdoptionRule) and has not failed or been cancelled. The metadata filter narrows
 * the list where the provider supports it; the tag is checked here too, for providers that ignore the filter.
 */
export async function findOwnJob(
  client: OpenAI,
  call: RemoteCall,
  rule: AdoptionRule,
): Promise<FineTuningJob | undefined> {
  const tagged = await call("fine_tuning.jobs.list", (signal) =>
    client.fineTuning.jobs.list({ metadata: { ...rule.tag }, limit: SCAN_LIMIT }, { signal }),
  );
  const found = tagged.data.find((job) => hasTag(job, rule.tag) && usable(job, rule));
  if (found || rule.untaggedSince === undefined) return found;
  const recent = await call("fine_tuning.jobs.list", (signal) =>
    client.fineTuning.jobs.list({ limit: SCAN_LIMIT }, { signal }),
  );
  return recent.data.find((job) => isUntaggedMatch(job, rule) && usable(job, rule));
}

function usable(job: FineTuningJob, rule: AdoptionRule): boolean {
  return adoptable(job) && !rule.exclude.includes(job.id);
}

function isUntaggedMatch(job: FineTuningJob, rule: AdoptionRule): boolean {
  const metadata = job.metadata ?? {};
  return (
    Object.keys(metadata).length === 0 &&
    rule.untaggedSince !== undefined &&
    job.created_at >= rule.untaggedSince - CLOCK_SKEW_SECONDS &&
    job.training_file === rule.body.training_file &&
    (job.validation_file ?? null) === (rule.body.validation_file ?? null)
  );
}

function hasTag(job: FineTuningJob, tag: JobTag): boolean {
  const metadata = job.metadata ?? {};
  return Object.entries(tag).every(([k, v]) => metadata[k] === v);
}

export type CreateResult = { job: FineTuningJob; adopted: boolean };

/**
 * Creates the job unless one of ours exists, and never blindly twice: when a create fails transiently (the response
 * may have been lost after the job was made), the next attempt looks for it and adopts it before creating again.
 * `recordIntent` runs before every create call; it writes the intent to the lockfile and returns the unix seconds
 * of the first intent, which lets a retry recognise its job on services that drop metadata.
 */
export async function createOrAdoptJob(
  client: OpenAI,
  call: RemoteCall,
  rule: AdoptionRule,
  recordIntent: () => Promise<number>,
): Promise<CreateResult> {
  const existing = await findOwnJob(client, call, rule);
  if (existing) return { job: existing, adopted: true };
  let since = rule.untaggedSince;
  return call("fine_tuning.jobs.create", async (signal, attempt) => {
    if (attempt > 1) {
      // The previous create may have made the job before failing: look before creating again. The listing has
      // its own retries, so a flaky list does not use up the create's attempts.
      const found = await findOwnJob(client, call, {
        ...rule,
        ...(since !== undefined ? { untaggedSince: since } : {}),
      });
      if (found) return { job: found, adopted: true };
    }
    since = await recordIntent();
    const job = await client.fineTuning.jobs.create(
      { ...rule.body, metadata: { ...rule.body.metadata, ...rule.tag } },
      { signal },
    );
    return { job, adopted: false };
  });
}

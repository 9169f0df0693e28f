import type { OpenAI } from "openai";
import type { FineTuningJob, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import type { RemoteCall } from "./remote-call.js";

/** Metadata that ties a job to the pipeline stage and fingerprint that created it (DESIGN §3). */
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

/**
 * The newest job carrying exactly this tag that has not failed or been cancelled. The metadata filter narrows the
 * list where the provider supports it; the tag is checked here too, for providers that ignore the filter.
 */
export async function findTaggedJob(
  client: OpenAI,
  call: RemoteCall,
  tag: JobTag,
  exclude: readonly string[] = [],
): Promise<FineTuningJob | undefined> {
  return call("fine_tuning.jobs.list", (signal) => listTagged(client, tag, exclude, signal));
}

async function listTagged(
  client: OpenAI,
  tag: JobTag,
  exclude: readonly string[],
  signal: AbortSignal,
): Promise<FineTuningJob | undefined> {
  const page = await client.fineTuning.jobs.list({ metadata: { ...tag }, limit: SCAN_LIMIT }, { signal });
  return page.data.find((job) => hasTag(job, tag) && adoptable(job) && !exclude.includes(job.id));
}

function hasTag(job: FineTuningJob, tag: JobTag): boolean {
  const metadata = job.metadata ?? {};
  return Object.entries(tag).every(([k, v]) => metadata[k] === v);
}

export type CreateResult = { job: FineTuningJob; adopted: boolean };

/**
 * Creates the job unless one with the tag exists, and never blindly twice: when a create fails transiently (the
 * response may have been lost after the job was made), the next attempt lists by tag and adopts before creating
 * again. `beforeCreate` runs before every create call, to record the intent. Jobs in `exclude` (replaced by --force)
 * are never adopted.
 */
export async function createOrAdoptJob(
  client: OpenAI,
  call: RemoteCall,
  tag: JobTag,
  body: JobCreateParams,
  exclude: readonly string[],
  beforeCreate: () => Promise<void>,
): Promise<CreateResult> {
  const existing = await findTaggedJob(client, call, tag, exclude);
  if (existing) return { job: existing, adopted: true };
  return call("fine_tuning.jobs.create", async (signal, attempt) => {
    if (attempt > 1) {
      // The previous create may have made the job before failing: look before creating again. The listing has
      // its own retries, so a flaky list does not use up the create's attempts.
      const found = await findTaggedJob(client, call, tag, exclude);
      if (found) return { job: found, adopted: true };
    }
    await beforeCreate();
    const job = await client.fineTuning.jobs.create({ ...body, metadata: { ...body.metadata, ...tag } }, { signal });
    return { job, adopted: false };
  });
}

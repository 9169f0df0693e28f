import type { OpenAI } from "openai";
import type { FineTuningJob, FineTuningJobEvent, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import type { RemoteCall } from "../remote-call.js";
import {
  type AdoptionRule,
  adoptable,
  CLOCK_SKEW_SECONDS,
  type EventMark,
  hasTag,
  type JobEvent,
  type JobPhase,
  type RemoteJobKind,
} from "../remote-job.js";
import type { TrainingSpec } from "../training/spec.js";

/** How many jobs to scan when a provider ignores the metadata filter. */
const SCAN_LIMIT = 100;
/** Most event pages read per poll: a re-attach to a long job reads its recent history, not all of it. */
const MAX_EVENT_PAGES = 5;

/** Fine-tuning jobs of the OpenAI API shape (every provider but Together); `toBody` is the service's request. */
export function fineTuningJobs(
  client: OpenAI,
  toBody: (spec: TrainingSpec) => JobCreateParams,
): RemoteJobKind<FineTuningJob, TrainingSpec> {
  // Read when used, not now: a provider is built before anything trains, and some never do.
  const jobs = () => client.fineTuning.jobs;
  return {
    api: "fine_tuning.jobs",
    phase: phaseOf,
    status: (job) => job.status,
    findOwn: (call, rule) => findOwn(jobs(), call, rule),
    create: (spec, tag, signal) => jobs().create({ ...toBody(spec), metadata: { ...tag } }, { signal }),
    retrieve: (call, id) => call("fine_tuning.jobs.retrieve", (signal) => jobs().retrieve(id, { signal })),
    cancel: (call, id) => call("fine_tuning.jobs.cancel", (signal) => jobs().cancel(id, { signal })),
    progressOf: () => ({}),
    newEvents: (call, id, seen, after) => newEvents(jobs(), call, id, seen, after),
    recentEvents: async (call, id) => {
      const page = await call("fine_tuning.jobs.listEvents", (signal) =>
        jobs().listEvents(id, { limit: 20 }, { signal }),
      );
      return page.data.map(toJobEvent);
    },
  };
}

function phaseOf(job: FineTuningJob): JobPhase {
  const status: string = job.status;
  if (status === "succeeded" || status === "failed" || status === "cancelled") return status;
  return "active";
}

type Jobs = OpenAI["fineTuning"]["jobs"];

/**
 * The newest job that is ours and has not failed or been cancelled. The metadata filter narrows the list where the
 * provider supports it; the tag is checked here too, for providers that ignore the filter. After a lost create on a
 * service that drops metadata, an untagged job for the same files made since the first intent is ours.
 */
async function findOwn(
  jobs: Jobs,
  call: RemoteCall,
  rule: AdoptionRule<TrainingSpec>,
): Promise<FineTuningJob | undefined> {
  const tagged = await call("fine_tuning.jobs.list", (signal) =>
    jobs.list({ metadata: { ...rule.tag }, limit: SCAN_LIMIT }, { signal }),
  );
  const usable = (job: FineTuningJob) => adoptable(phaseOf(job), job.id, rule);
  const found = tagged.data.find((job) => hasTag(job.metadata, rule.tag) && usable(job));
  if (found || rule.untaggedSince === undefined) return found;
  const recent = await call("fine_tuning.jobs.list", (signal) => jobs.list({ limit: SCAN_LIMIT }, { signal }));
  return recent.data.find((job) => isUntaggedMatch(job, rule) && usable(job));
}

function isUntaggedMatch(job: FineTuningJob, rule: AdoptionRule<TrainingSpec>): boolean {
  const metadata = job.metadata ?? {};
  return (
    Object.keys(metadata).length === 0 &&
    rule.untaggedSince !== undefined &&
    job.created_at >= rule.untaggedSince - CLOCK_SKEW_SECONDS &&
    job.training_file === rule.spec.training_file &&
    (job.validation_file ?? null) === (rule.spec.validation_file ?? null)
  );
}

/**
 * Events not seen yet, oldest first. Lists are newest first, so pages are read until a seen id, or one older than
 * the mark (the local provider drops an interrupted run's progress when it restarts the job, so the marked event
 * itself may be gone).
 */
async function newEvents(
  jobs: Jobs,
  call: RemoteCall,
  id: string,
  seen: ReadonlySet<string>,
  after: EventMark | undefined,
): Promise<JobEvent[]> {
  const fresh: FineTuningJobEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_EVENT_PAGES; page++) {
    const from = cursor;
    const result = await call("fine_tuning.jobs.listEvents", (signal) =>
      jobs.listEvents(id, { limit: 100, ...(from ? { after: from } : {}) }, { signal }),
    );
    const end = result.data.findIndex((e) => seen.has(e.id) || (after && e.created_at < after.created_at));
    fresh.push(...(end === -1 ? result.data : result.data.slice(0, end)));
    if (end !== -1 || !result.has_more || result.data.length === 0) break;
    cursor = result.data[result.data.length - 1]?.id;
  }
  return fresh.reverse().map(toJobEvent);
}

function toJobEvent(event: FineTuningJobEvent): JobEvent {
  const progress = metricsOf(event);
  return {
    id: event.id,
    created_at: event.created_at,
    level: event.level,
    message: event.message,
    ...(progress ? { progress } : {}),
  };
}

/** Step, total and training loss of a metrics event; undefined for other events. */
function metricsOf(event: FineTuningJobEvent): JobEvent["progress"] {
  if (event.type !== "metrics" || !event.data || typeof event.data !== "object") return undefined;
  const data = event.data as Record<string, unknown>;
  return {
    ...(typeof data.step === "number" ? { step: data.step } : {}),
    ...(typeof data.total_steps === "number" ? { totalSteps: data.total_steps } : {}),
    ...(typeof data.train_loss === "number" ? { loss: data.train_loss } : {}),
  };
}

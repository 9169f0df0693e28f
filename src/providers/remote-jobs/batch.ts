import type { OpenAI } from "openai";
import type { Batch, BatchCreateParams } from "openai/resources/batches";
import type { RemoteCall } from "../remote-call.js";
import { type AdoptionRule, adoptable, hasTag, type JobPhase, type RemoteJobKind } from "../remote-job.js";

/** Batches listed when looking for ours: the list has no metadata filter, so recent ones are read and matched here. */
const SCAN_PAGES = 5;

/**
 * Batches of the Batch API (https://platform.openai.com/docs/api-reference/batch), half the synchronous price,
 * results within the completion window. The same life as a fine-tuning job: create or adopt by metadata, follow,
 * cancel, describe. Progress is the request counts; batches have no events.
 */
export function batchJobs(client: OpenAI): RemoteJobKind<Batch, BatchCreateParams> {
  const batches = client.batches;
  return {
    api: "batches",
    phase: phaseOf,
    status: (batch) => batch.status,
    findOwn: (call, rule) => findOwn(client, call, rule),
    create: (spec, tag, signal) => batches.create({ ...spec, metadata: { ...spec.metadata, ...tag } }, { signal }),
    retrieve: (call, id) => call("batches.retrieve", (signal) => batches.retrieve(id, { signal })),
    cancel: (call, id) => call("batches.cancel", (signal) => batches.cancel(id, { signal })),
    progressOf: (batch) => {
      const counts = batch.request_counts;
      if (!counts || counts.total === 0) return {};
      return { step: counts.completed + counts.failed, totalSteps: counts.total };
    },
    newEvents: async () => [],
    recentEvents: async () => [],
  };
}

/** `cancelling` is still active: requests in flight finish and are billed. `expired` ran out of its window. */
const PHASES = new Map<string, JobPhase>([
  ["completed", "succeeded"],
  ["failed", "failed"],
  ["expired", "failed"],
  ["cancelled", "cancelled"],
]);

function phaseOf(batch: Batch): JobPhase {
  return PHASES.get(batch.status) ?? "active";
}

async function findOwn(
  client: OpenAI,
  call: RemoteCall,
  rule: AdoptionRule<BatchCreateParams>,
): Promise<Batch | undefined> {
  let after: string | undefined;
  for (let page = 0; page < SCAN_PAGES; page++) {
    const cursor = after;
    const result = await call("batches.list", (signal) =>
      client.batches.list({ limit: 100, ...(cursor ? { after: cursor } : {}) }, { signal }),
    );
    // `cancelling` is active, but it can no longer succeed.
    const found = result.data.find(
      (b) => hasTag(b.metadata, rule.tag) && adoptable(phaseOf(b), b.id, rule) && b.status !== "cancelling",
    );
    if (found) return found;
    if (!result.has_more || result.data.length === 0) return undefined;
    after = result.data[result.data.length - 1]?.id;
  }
  return undefined;
}

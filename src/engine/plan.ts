import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type ProviderIdentity, sameProvider } from "../providers/provider.js";
import type { PlanAction, PlanEntry } from "./events.js";
import { changedParts, computeFingerprint, type Fingerprint } from "./fingerprint.js";
import type { Lockfile } from "./lockfile/types.js";
import { checkpointOf } from "./stage-io.js";
import { STAGE_NAMES, type StageDefinition, type StageName, type StageRecord } from "./stage.js";

/** Which stages `run` should consider, from its flags. */
export interface Selection {
  /** --only STAGE: this stage and no other. Upstream must be fresh. */
  only?: StageName;
  /** --from STAGE: this stage and everything downstream, rerun even when fresh. Upstream must be fresh. */
  from?: StageName;
  /** --force: rerun every enabled stage even when fresh (remote work in progress is still resumed). */
  force?: boolean;
  /** `watch`: only resume the selected stage's recorded remote work in the foreground; never start anything anew. */
  resumeOnly?: boolean;
}

/** A plan entry plus what the executor needs to record it. */
export interface StagePlan extends PlanEntry {
  fingerprintParts: Record<string, string>;
}

export type PlanResult = { ok: true; entries: StagePlan[] } | { ok: false; diagnostics: Diagnostic[] };

export interface PlanInput {
  stages: Record<StageName, StageDefinition>;
  pipeline: LoadedPipeline;
  lockfile: Lockfile;
  /** The chosen provider's identity; feeds the fingerprints of stages with `usesProvider`. */
  provider: ProviderIdentity | undefined;
  selection: Selection;
  /**
   * sha256 of the training file prepare will write, when a dry pass measured it (`tunefile plan`): with it, an
   * upload after a rerun of prepare can say for sure whether it reuses a file.
   */
  preparedTrainSha256?: string;
}

/** The fingerprint of one stage given the current records and the fingerprints already computed upstream. */
export async function fingerprintStage(
  def: StageDefinition,
  pipeline: LoadedPipeline,
  records: Partial<Record<StageName, StageRecord>>,
  upstreamFingerprints: Partial<Record<StageName, string>>,
  provider: ProviderIdentity | undefined,
): Promise<Fingerprint> {
  const input = await def.fingerprintInput(pipeline, upstreamRecords(records, upstreamFingerprints));
  return computeFingerprint({
    stage: def.name,
    version: def.version,
    input,
    upstream: upstreamFingerprints,
    provider: def.usesProvider ? provider : undefined,
  });
}

/** The records of the stages fingerprinted so far: the enabled stages upstream of the next one. */
export function upstreamRecords(
  records: Partial<Record<StageName, StageRecord>>,
  fingerprints: Partial<Record<StageName, string>>,
): Partial<Record<StageName, StageRecord>> {
  const out: Partial<Record<StageName, StageRecord>> = {};
  for (const name of Object.keys(fingerprints) as StageName[]) {
    const record = records[name];
    if (record) out[name] = record;
  }
  return out;
}

/**
 * The action for one enabled stage, and why. Pure: the same inputs always give the same answer. A stage upstream of
 * --only/--from gets its staleness, which must say fresh.
 */
export function decide(
  stage: StageName,
  record: StageRecord | undefined,
  fingerprint: Fingerprint,
  selection: Selection,
): { action: PlanAction; reason: string } {
  if (isUpstreamOfSelection(stage, selection)) return staleness(record, fingerprint);
  if (selection.only !== undefined && selection.only !== stage) {
    const reason = selection.resumeOnly
      ? "not watched (`tunefile run` goes on with it)"
      : `not selected (--only ${selection.only})`;
    return { action: "skip", reason };
  }
  const sameFingerprint = record?.fingerprint === fingerprint.value;
  if (record?.status === "running" && sameFingerprint && hasCheckpoint(record)) {
    return { action: "resume", reason: describeCheckpoint(record) };
  }
  if (selection.resumeOnly)
    return { action: "skip", reason: `nothing to resume (${staleness(record, fingerprint).reason})` };
  if (selection.only === stage) return { action: "run", reason: "--only" };
  if (selection.from && STAGE_NAMES.indexOf(stage) >= STAGE_NAMES.indexOf(selection.from)) {
    return { action: "run", reason: `--from ${selection.from}` };
  }
  if (selection.force) return { action: "run", reason: "--force" };
  return staleness(record, fingerprint);
}

/** Why a fresh stage runs again when its outputs are not there any more. */
export const OUTPUTS_GONE = "its outputs are gone or changed";

/**
 * A fresh stage's checks of local files, which plan and run both make: its outputs gone (prepare's files, deploy's
 * record) mean it runs again; a result someone changed on purpose (a rolled-back deploy) is kept as it is, and the
 * reason says so instead of "fresh". Other decisions pass through.
 */
export async function checkLocally(
  def: StageDefinition,
  pipeline: LoadedPipeline,
  record: StageRecord | undefined,
  decision: { action: PlanAction; reason: string },
): Promise<{ action: PlanAction; reason: string }> {
  if (decision.action !== "skip" || !record || !decision.reason.startsWith("fresh")) return decision;
  if (def.outputsPresent && !(await def.outputsPresent(pipeline, record)))
    return { action: "run", reason: OUTPUTS_GONE };
  const note = await def.keptNote?.(pipeline, record);
  return note ? { action: "skip", reason: note } : decision;
}

/** Why a stage is not fresh, or that it is. */
function staleness(
  record: StageRecord | undefined,
  fingerprint: Fingerprint,
): { action: "run" | "skip"; reason: string } {
  if (!record) return { action: "run", reason: "never run" };
  if (record.fingerprint !== fingerprint.value) {
    return { action: "run", reason: describeChange(record, fingerprint) };
  }
  switch (record.status) {
    case "succeeded":
      return { action: "skip", reason: `fresh (fingerprint ${fingerprint.value.slice(0, 6)} matches)` };
    case "failed":
      return { action: "run", reason: `failed last time${record.error ? `: ${record.error.code}` : ""}` };
    case "cancelled":
      return { action: "run", reason: "cancelled last time" };
    case "running":
      return hasCheckpoint(record)
        ? { action: "run", reason: `remote work in progress: ${describeCheckpoint(record)}` }
        : { action: "run", reason: "interrupted last time before any remote work was recorded" };
    case "pending":
      return { action: "run", reason: "pending" };
  }
}

function describeChange(record: StageRecord, fingerprint: Fingerprint): string {
  const changed = changedParts(record.fingerprint_parts, fingerprint.parts);
  const abandoned =
    record.status === "running" && hasCheckpoint(record) ? " (the earlier run's remote work is not resumed)" : "";
  if (changed.length === 0) {
    return `fingerprint changed (${record.fingerprint.slice(0, 6)} -> ${fingerprint.value.slice(0, 6)})${abandoned}`;
  }
  const own = changed.filter((p) => !p.startsWith("upstream."));
  const upstream = changed.filter((p) => p.startsWith("upstream.")).map((p) => p.slice("upstream.".length));
  if (own.length > 0) return `changed: ${own.map(describePart).join(", ")}${abandoned}`;
  return `upstream ${upstream[0]} changed${abandoned}`;
}

function describePart(part: string): string {
  if (part === "version") return "stage version";
  if (part.startsWith("file:")) return `file ${part.slice("file:".length)}`;
  return part;
}

function hasCheckpoint(record: StageRecord): boolean {
  return record.checkpoint !== undefined && Object.keys(record.checkpoint).length > 0;
}

/**
 * What a resume picks up, from the remote ids in the checkpoint: a job is re-attached to (never created again),
 * files uploaded so far are reused. Other checkpoints are listed as they are.
 */
function describeCheckpoint(record: StageRecord): string {
  const checkpoint = record.checkpoint ?? {};
  if (typeof checkpoint.job_id === "string") return `re-attaches to ${checkpoint.job_id}`;
  const batches = Object.values(checkpointOf("evaluate", record).batches ?? {});
  if (batches.length > 0) {
    const ids = batches.flatMap((b) => (b.batch_id ? [b.batch_id] : []));
    return ids.length > 0 ? `re-attaches to ${ids.join(", ")}` : "re-creates its batches (none was made yet)";
  }
  const files = fileIds(checkpoint.files);
  if (files.length > 0) return `reuses ${files.join(", ")} uploaded so far`;
  const entries = Object.entries(checkpoint).filter(([, v]) => typeof v === "string");
  if (entries.length === 0) return `checkpoint: ${Object.keys(checkpoint).join(", ")}`;
  return entries.map(([k, v]) => `${k} ${v}`).join(", ");
}

/** Ids of an upload record's files (`{sha256: {id, ...}}`). */
function fileIds(files: unknown): string[] {
  if (!files || typeof files !== "object") return [];
  return Object.values(files as Record<string, { id?: unknown }>)
    .map((f) => f?.id)
    .filter((id): id is string => typeof id === "string");
}

/**
 * An upload that runs but will find its file already on the provider says so: files are keyed by content sha256,
 * and one uploaded before to this same provider is reused while it exists. When prepare is fresh the sha256 is
 * known now; when prepare runs, the reuse depends on the prepared bytes coming out the same.
 */
function uploadReuse(
  lockfile: Lockfile,
  provider: ProviderIdentity | undefined,
  prepareAction: PlanAction | undefined,
  measured: string | undefined,
): string | undefined {
  const record = lockfile.stages.upload;
  const checkpoint = (record?.checkpoint ?? {}) as { provider?: ProviderIdentity; files?: unknown };
  if (!provider || !sameProvider(checkpoint.provider, provider)) {
    return undefined;
  }
  const known = {
    ...((record?.outputs?.files ?? {}) as Record<string, { id?: unknown }>),
    ...((checkpoint.files ?? {}) as Record<string, { id?: unknown }>),
  };
  const recorded = (lockfile.stages.prepare?.outputs?.train as { sha256?: unknown } | undefined)?.sha256;
  const sure = prepareAction === "skip" ? recorded : measured;
  if (typeof sure === "string") {
    const id = known[sure]?.id;
    return typeof id === "string" ? `reuses ${id} (same sha256)` : undefined;
  }
  if (typeof recorded !== "string") return undefined;
  const id = known[recorded]?.id;
  if (typeof id !== "string") return undefined;
  return `reuses ${id} if the prepared data keeps sha256 ${recorded.slice(0, 8)}`;
}

/** Whether a stage lies upstream of the selection's start (and so must be fresh for --only/--from). */
function isUpstreamOfSelection(stage: StageName, selection: Selection): boolean {
  const start = selection.only ?? selection.from;
  return start !== undefined && STAGE_NAMES.indexOf(stage) < STAGE_NAMES.indexOf(start);
}

/**
 * The plan: per stage in order, disabled / skip / resume / run with the reason. With --only or --from, every enabled
 * upstream stage must already be fresh: running downstream of stale work would build on results that no longer
 * match the pipeline.
 */
export async function planPipeline(input: PlanInput): Promise<PlanResult> {
  const { stages, pipeline, lockfile, provider, selection } = input;
  const start = selection.only ?? selection.from;
  if (start && !stages[start].enabled(pipeline)) {
    return {
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "stage-disabled",
          message: `cannot run ${selection.only ? "--only" : "--from"} ${start}: the ${start} stage is disabled in this pipeline`,
        },
      ],
    };
  }
  const entries: StagePlan[] = [];
  const fingerprints: Partial<Record<StageName, string>> = {};
  const diagnostics: Diagnostic[] = [];
  for (const name of STAGE_NAMES) {
    const def = stages[name];
    if (!def.enabled(pipeline)) {
      entries.push({
        stage: name,
        action: "disabled",
        reason: "not used by this pipeline",
        fingerprint: "",
        fingerprintParts: {},
      });
      continue;
    }
    const fp = await fingerprintStage(def, pipeline, lockfile.stages, { ...fingerprints }, provider);
    fingerprints[name] = fp.value;
    const record = lockfile.stages[name];
    const decision = await checkLocally(def, pipeline, record, decide(name, record, fp, selection));
    if (isUpstreamOfSelection(name, selection)) {
      if (decision.action !== "skip") {
        const flag = selection.only ? `--only ${selection.only}` : `--from ${selection.from}`;
        diagnostics.push({
          severity: "error",
          code: "upstream-stale",
          message: `cannot run ${flag}: upstream stage ${name} is not fresh (${decision.reason})`,
          hint: `run without ${selection.only ? "--only" : "--from"}, or with --from ${name}`,
        });
      }
    }
    entries.push({ stage: name, ...decision, fingerprint: fp.value, fingerprintParts: fp.parts });
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const upload = entries.find((e) => e.stage === "upload");
  if (upload?.action === "run") {
    const prepareAction = entries.find((e) => e.stage === "prepare")?.action;
    const reuse = uploadReuse(lockfile, provider, prepareAction, input.preparedTrainSha256);
    if (reuse) upload.reason = `${upload.reason}; ${reuse}`;
  }
  const train = entries.find((e) => e.stage === "train");
  const reusedJob = train?.action === "run" ? trainReuse(lockfile.stages.train, provider, train.reason) : undefined;
  if (train && reusedJob) train.reason = `${train.reason}; reuses ${reusedJob} if upload gives the same files`;
  return { ok: true, entries };
}

/**
 * The succeeded job train reuses when only upstream changed and its request comes out the same (see the train
 * stage). Whether the uploaded files stay the same is known only once prepare and upload have run.
 */
function trainReuse(
  record: StageRecord | undefined,
  provider: ProviderIdentity | undefined,
  reason: string,
): string | undefined {
  const checkpoint = checkpointOf("train", record);
  if (record?.status !== "succeeded" || !reason.startsWith("upstream ") || !checkpoint.spec_sha256) return undefined;
  return provider && sameProvider(checkpoint.provider, provider) ? checkpoint.job_id : undefined;
}

/** The plan without the executor's extras, for events and --json. */
export function toPlanEntries(plan: StagePlan[]): PlanEntry[] {
  return plan.map(({ stage, action, reason, fingerprint }) => ({ stage, action, reason, fingerprint }));
}

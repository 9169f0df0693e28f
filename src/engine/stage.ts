import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Provider } from "../providers/provider.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import type { PlanAction, RunEvent } from "./events.js";

export { STAGE_NAMES, type StageError, type StageName, type StageRecord } from "./stage-record.js";
import type { StageError, StageName, StageRecord } from "./stage-record.js";

/** Outputs as the lockfile holds them; each stage's own type is in stage-io.ts. */
export type StageData = { [key: string]: unknown };

/** What a stage's run returns. Expected failures are values; a thrown exception is a bug (or an abort). */
export type StageOutcome<O extends StageData = StageData> =
  | { kind: "succeeded"; outputs: O; halt?: { reason: string } }
  | { kind: "failed"; error: StageError }
  | { kind: "cancelled"; error: StageError }
  /** --detach: the remote work continues; the stage stays `running` with its checkpoint. */
  | { kind: "detached"; message: string };

/** Flags of `tunefile run` that stages may look at. */
export interface RunOptions {
  /** Return once the remote job exists instead of monitoring it. Default: false. */
  detach: boolean;
  /** Rerun stages even when fresh. Default: false. */
  force: boolean;
  /** --yes: spending past `budget.max_usd` was allowed. Default: false. */
  yes: boolean;
}

/** Everything a stage may use. No stage reads process.env, the wall clock or global state directly. */
export interface StageContext {
  stage: StageName;
  pipeline: LoadedPipeline;
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  options: RunOptions;
  /** The provider, connected on first use (the local server starts in-process then). */
  provider(): Promise<Provider>;
  /** This stage's fingerprint, as the engine computed it. */
  fingerprint: string;
  /** Records of the upstream stages (all succeeded and fresh, or this stage would not run). */
  upstream: Partial<Record<StageName, StageRecord>>;
  /** This stage's previous record, for resume (its checkpoint holds remote ids). */
  previous: StageRecord | undefined;
  /** Merge into this stage's checkpoint and write the lockfile atomically before returning. */
  saveCheckpoint(patch: Record<string, unknown>): Promise<void>;
  /** Emit a progress or log event for the display. */
  emit(event: RunEvent): void;
}

/** Input to a fingerprint: the stage's own config subset and the content hashes of files it reads. */
export interface FingerprintInput {
  config: unknown;
  files?: Record<string, string>;
}

/** A stage: `O` is the type of the outputs it records (see stage-io.ts). */
export interface StageDefinition<O extends StageData = StageData> {
  name: StageName;
  /** Bump when the stage's behaviour changes so that old results become stale. */
  version: number;
  /**
   * Whether the stage's results depend on the provider (files uploaded to it, jobs run on it). If true, the provider's
   * identity (kind + base URL) feeds the fingerprint, so switching provider makes the stage stale. Default: false.
   */
  usesProvider?: boolean;
  /** Whether the pipeline uses this stage at all (e.g. no `deploy:` key, or training skipped for an existing model). */
  enabled(pipeline: LoadedPipeline): boolean;
  /** Config and file hashes that determine the result. No secrets, timestamps or absolute paths. */
  fingerprintInput(
    pipeline: LoadedPipeline,
    upstream: Partial<Record<StageName, StageRecord>>,
  ): Promise<FingerprintInput>;
  /**
   * Cheap check, when run skips a fresh stage, that its outputs are still at the provider (the uploaded file).
   * At most one request. Absent: fresh means fresh.
   */
  verifyFresh?(ctx: StageContext, record: StageRecord): Promise<boolean>;
  /** Whether a fresh stage's local outputs are still there (prepare's files, deploy's record); plan asks it too. */
  outputsPresent?(pipeline: LoadedPipeline, record: StageRecord): Promise<boolean>;
  /**
   * A fresh stage whose result was changed on purpose outside a run (deploy after `tunefile rollback`): the reason
   * it is not fresh yet is kept, shown by plan, run and status instead of "fresh". Reads local files only.
   */
  keptNote?(pipeline: LoadedPipeline, record: StageRecord): Promise<string | undefined>;
  run(ctx: StageContext): Promise<StageOutcome<O>>;
  /**
   * What `tunefile plan` can say about this stage without side effects: counts, estimates, calls it will make.
   * Must not touch the network or write files. Absent: plan shows the action and reason only.
   */
  preview?(pipeline: LoadedPipeline, input: PreviewInput): Promise<StagePreview>;
}

/** What a preview may look at besides the pipeline: the planned action, the stage's record, a temp dir, an abort. */
export interface PreviewInput {
  action: PlanAction;
  record: StageRecord | undefined;
  /** Where a dry pass may spill (removed after). */
  tempDir: string;
  signal: AbortSignal;
}

/** A stage's side-effect-free preview, shown by `tunefile plan`. */
export interface StagePreview {
  /** Human lines, e.g. "15 examples (10 train, 5 validation), 4,210 tokens". */
  lines: string[];
  /** Estimated spend in US dollars, checked against `budget.max_usd`. */
  estimatedCostUsd?: number;
  /** Machine-readable details for `plan --json`. */
  data?: Record<string, unknown>;
}

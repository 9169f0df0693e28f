import { tmpdir } from "node:os";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { checkBudget, plannedCost, trainingEstimate } from "./budget.js";
import { buildContext, LazyProvider, type ProviderHandle } from "./context.js";
import type { RunEvent } from "./events.js";
import type { Fingerprint } from "./fingerprint.js";
import type { LockfileStore } from "./lockfile/store.js";
import { summarizeOutputs } from "./summary.js";
import {
  decide,
  fingerprintStage,
  checkLocally,
  OUTPUTS_GONE,
  planPipeline,
  type Selection,
  type StagePlan,
  toPlanEntries,
  upstreamRecords,
} from "./plan.js";
import {
  type RunOptions,
  STAGE_NAMES,
  type StageContext,
  type StageDefinition,
  type StageError,
  type StageName,
  type StageRecord,
} from "./stage.js";

export interface ExecutorInput {
  stages: Record<StageName, StageDefinition>;
  pipeline: LoadedPipeline;
  store: LockfileStore;
  /** The resolved provider; connected lazily, closed at the end. Absent: stages that ask for it fail as a bug. */
  provider: ProviderHandle | undefined;
  selection: Selection;
  options: RunOptions;
  env: Env;
  clock: Clock;
  /** Aborts on Ctrl+C / SIGTERM: the running stage stops, its record stays `running` with its checkpoint. */
  signal: AbortSignal;
  emit(event: RunEvent): void;
  /** Asks the user (on a terminal) to go past the budget. Absent: over budget without --yes is refused. */
  confirmBudget?: (message: string) => Promise<boolean>;
}

/** How a run ended. The CLI maps it to an exit code; the executor never decides one. */
export type RunResult =
  | { kind: "completed" }
  | { kind: "failed"; stage: StageName; error: StageError }
  | { kind: "cancelled"; stage: StageName; error: StageError }
  /** A stage succeeded but stops the pipeline (evaluation gate not met). */
  | { kind: "halted"; stage: StageName; reason: string }
  | { kind: "detached"; stage: StageName; message: string }
  | { kind: "interrupted"; stage: StageName | undefined }
  | { kind: "budget-refused"; message: string }
  | { kind: "plan-error"; diagnostics: Diagnostic[] };

/**
 * Runs the plan. Every state change is written to the lockfile before the next side effect: the record says
 * `running` before a stage starts, the stage saves remote ids as it learns them, and the outcome is written when the
 * stage returns. The executor only emits events; it never prints.
 *
 * A thrown exception is a bug: the stage is recorded `failed` with code `internal`, and the exception is rethrown
 * so that the CLI prints "internal error, please report" with the stack.
 */
export async function execute(input: ExecutorInput): Promise<RunResult> {
  const { stages, pipeline, store, selection, emit, env, clock, signal, options } = input;
  const identity = input.provider?.identity;
  const plan = await planPipeline({ stages, pipeline, lockfile: store.snapshot(), provider: identity, selection });
  if (!plan.ok) return { kind: "plan-error", diagnostics: plan.diagnostics };
  emit({ type: "plan", entries: toPlanEntries(plan.entries) });

  const provider = new LazyProvider(input.provider);
  const fingerprints: Partial<Record<StageName, string>> = {};
  let budgetChecked = false;
  // Until a stage runs, the records are those the plan read: its fingerprints and local checks still hold, and are
  // not computed again (prepare's hash every input and prepared file).
  let unchangedSincePlan = true;
  let result: RunResult = { kind: "completed" };
  try {
    await store.setRunContext(identity, pipeline.overrides);
    for (const name of STAGE_NAMES) {
      if (result.kind === "completed" && signal.aborted) result = { kind: "interrupted", stage: undefined };
      if (result.kind !== "completed") {
        emit({ type: "stage-skip", stage: name, reason: `not reached (${describeStop(result)})` });
        continue;
      }
      const def = stages[name];
      if (!def.enabled(pipeline)) {
        emit({ type: "stage-skip", stage: name, reason: "disabled: not used by this pipeline" });
        continue;
      }
      const records = store.snapshot().stages;
      const upstream = upstreamRecords(records, fingerprints);
      const planned = unchangedSincePlan ? plan.entries.find((e) => e.stage === name) : undefined;
      const fp = planned
        ? { value: planned.fingerprint, parts: planned.fingerprintParts }
        : await fingerprintStage(def, pipeline, records, { ...fingerprints }, identity);
      fingerprints[name] = fp.value;
      const record = records[name];
      let decision = planned
        ? { action: planned.action, reason: planned.reason }
        : await checkLocally(def, pipeline, record, decide(name, record, fp, selection));
      const base = { stage: name, pipeline, env, clock, signal, options, fingerprint: fp.value, upstream, emit };
      const makeContext = () => buildContext({ ...base, previous: record }, provider, store);

      if (decision.action === "skip" && record && def.verifyFresh && !decision.reason.startsWith("not selected")) {
        const verdict = await verify(def, makeContext(), record);
        if (verdict === "interrupted") {
          result = { kind: "interrupted", stage: undefined };
          emit({ type: "stage-skip", stage: name, reason: "not reached (interrupted)" });
          continue;
        }
        if (verdict !== "fresh") decision = { action: "run", reason: verdict };
      }
      if (decision.action === "skip" || decision.action === "disabled") {
        emit({ type: "stage-skip", stage: name, reason: decision.reason });
        continue;
      }
      if (def.usesProvider && decision.action === "run" && !budgetChecked) {
        budgetChecked = true;
        const refusal = await enforceBudget(input, plan.entries);
        if (refusal) {
          result = refusal;
          emit({ type: "stage-skip", stage: name, reason: `not run (${refusal.message})` });
          continue;
        }
      }
      unchangedSincePlan = false;
      result = await runStage(input, def, fp, { action: decision.action, reason: decision.reason }, makeContext);
    }
  } finally {
    await provider.close();
  }
  return result;
}

/**
 * A fresh stage's cheap existence check: "fresh", "interrupted", or why it runs again. Its outputs gone: run it again.
 * The check itself failing (the provider is unreachable, a key was revoked) is not a verdict on the outputs: the stage
 * runs, and its own calls then report the problem as a stage failure with the provider's message.
 */
async function verify(def: StageDefinition, ctx: StageContext, record: StageRecord): Promise<string> {
  try {
    return (await def.verifyFresh!(ctx, record)) ? "fresh" : OUTPUTS_GONE;
  } catch (err) {
    if (ctx.signal.aborted) return "interrupted";
    return `could not check that its outputs still exist (${err instanceof Error ? err.message : String(err)})`;
  }
}

async function runStage(
  input: ExecutorInput,
  def: StageDefinition,
  fp: Fingerprint,
  { action, reason }: { action: "run" | "resume"; reason: string },
  makeContext: () => StageContext,
): Promise<RunResult> {
  const { store, emit, clock } = input;
  const name = def.name;
  const previous = store.record(name);
  const sameFingerprint = previous?.fingerprint === fp.value;
  // Remote ids are kept while the fingerprint is the same (resume, or retry after a failure); a changed stage starts
  // from nothing, as does its attempt count.
  const running: StageRecord = {
    fingerprint: fp.value,
    fingerprint_parts: fp.parts,
    status: "running",
    attempts: (sameFingerprint ? (previous?.attempts ?? 0) : 0) + 1,
    started_at: clock.now().toISOString(),
    ...(sameFingerprint && previous?.checkpoint ? { checkpoint: previous.checkpoint } : {}),
  };
  await store.putStage(name, running);
  emit({ type: "stage-start", stage: name, action, reason });

  const finish = async (patch: Partial<StageRecord>) => {
    const current = store.record(name) ?? running;
    await store.putStage(name, { ...current, ...patch, finished_at: clock.now().toISOString() });
  };

  let outcome: Awaited<ReturnType<StageDefinition["run"]>>;
  try {
    outcome = await def.run(makeContext());
  } catch (err) {
    if (input.signal.aborted) return interrupted(input, name);
    const error: StageError = { code: "internal", message: err instanceof Error ? err.message : String(err) };
    await finish({ status: "failed", error });
    emit({ type: "stage-end", stage: name, status: "failed", error });
    throw err;
  }

  switch (outcome.kind) {
    case "succeeded": {
      await finish({ status: "succeeded", outputs: outcome.outputs, error: undefined });
      const summary = summarizeOutputs(outcome.outputs);
      emit({ type: "stage-end", stage: name, status: "succeeded", ...(summary ? { summary } : {}) });
      return outcome.halt ? { kind: "halted", stage: name, reason: outcome.halt.reason } : { kind: "completed" };
    }
    case "failed":
    case "cancelled": {
      // A stage that turns the abort into a failure has not really failed: keep it resumable.
      if (outcome.kind === "failed" && input.signal.aborted) return interrupted(input, name);
      await finish({ status: outcome.kind, error: outcome.error });
      emit({ type: "stage-end", stage: name, status: outcome.kind, error: outcome.error });
      return { kind: outcome.kind, stage: name, error: outcome.error };
    }
    case "detached": {
      // The record stays `running` with its checkpoint: the next run (or `watch`) resumes it.
      emit({ type: "stage-end", stage: name, status: "detached", summary: outcome.message });
      return { kind: "detached", stage: name, message: outcome.message };
    }
  }
}

/**
 * Ctrl+C: the record stays `running` with whatever checkpoint the stage saved. Whether remote work goes on depends
 * on the provider (the built-in local one stops with this process), so this line claims nothing; the run's last
 * line says what happens next.
 */
function interrupted(input: ExecutorInput, stage: StageName): RunResult {
  input.emit({ type: "stage-end", stage, status: "running", summary: "interrupted; run again to resume" });
  return { kind: "interrupted", stage };
}

/** Checked once, before the first stage that uses the provider, when prepare has measured the data. */
async function enforceBudget(
  input: ExecutorInput,
  plan: StagePlan[],
): Promise<Extract<RunResult, { kind: "budget-refused" }> | undefined> {
  const training = trainingEstimate(input.pipeline, input.store.record("prepare"));
  const estimate = await plannedCost(input.stages, input.pipeline, plan, training, {
    tempDir: tmpdir(),
    signal: input.signal,
  });
  const verdict = checkBudget(input.pipeline, estimate);
  if (verdict.kind === "within") return undefined;
  if (input.options.yes) {
    input.emit({ type: "stage-log", stage: "prepare", level: "warn", message: `${verdict.message}; going on (--yes)` });
    return undefined;
  }
  if (input.confirmBudget && (await input.confirmBudget(`${verdict.message}. Continue?`))) return undefined;
  return { kind: "budget-refused", message: `${verdict.message}; pass --yes to go on` };
}

function describeStop(result: Exclude<RunResult, { kind: "completed" }>): string {
  switch (result.kind) {
    case "failed":
      return `${result.stage} failed`;
    case "cancelled":
      return `${result.stage} was cancelled`;
    case "halted":
      return `${result.stage} stopped the pipeline: ${result.reason}`;
    case "detached":
      return `${result.stage} is running detached`;
    case "interrupted":
      return "interrupted";
    case "budget-refused":
      return "over budget";
    case "plan-error":
      return "invalid plan";
  }
}

import { tmpdir } from "node:os";
import { createInterface } from "node:readline/promises";
import { acquireLock, runLockPath } from "../core/lock.js";
import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { checkBudget, plannedCost } from "../engine/budget.js";
import { estimateData } from "../engine/estimate.js";
import type { RunEvent } from "../engine/events.js";
import { execute, type RunResult } from "../engine/executor.js";
import { planPipeline, type Selection } from "../engine/plan.js";
import { JsonReporter } from "../engine/reporters/json.js";
import { PlainReporter } from "../engine/reporters/plain.js";
import type { Reporter } from "../engine/reporters/reporter.js";
import { openStore, type Session } from "../engine/session.js";
import { removeOrphanedTemps } from "../core/atomic-write.js";
import type { LockfileStore } from "../engine/lockfile/store.js";
import { STAGE_NAMES, type StageName } from "../engine/stage.js";
import { STAGES } from "../stages/registry.js";
import { loadRunSummary } from "../report/run-summary.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, writeLine } from "./io.js";
import { LOCAL_JOB_STOPS } from "./local-jobs.js";
import { openSessionFromArgs } from "./open-session.js";

/**
 * `tunefile run <pipeline>`: loads the pipeline, chooses the provider (one line on stderr says which and why), takes
 * the run lock, and runs the stale stages with a live task list (TTY), plain lines (no TTY) or NDJSON (--json).
 * Exit codes: 0 done (or detached), 1 a stage failed / was cancelled / the lock is held / over budget, 2 invalid
 * pipeline, lockfile, provider settings or flags, 100 evaluation gate not met, 130 interrupted.
 */
export default async function run(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const selection = parseSelection(args, io);
  if (!selection) return EXIT.invalid;
  const color = wantsColor(io.env, io.isTTY);
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  if (session.warnings.length > 0) io.stderr.write(renderDiagnostics(session.warnings, session.sources, { color }));
  writeLine(io.stderr, session.provider.explanation);

  const { reporter, live } = await chooseReporter(args.json === true, io);
  const lock = await acquireLock(runLockPath(session.pipeline.paths.lockfile), systemClock.now());
  if (!lock.ok) {
    if (lock.reason === "unwritable") {
      writeLine(io.stderr, `tunefile: cannot take the run lock, nothing ran: ${lock.message}`);
      return EXIT.failure;
    }
    writeLine(io.stderr, `tunefile: ${session.pipeline.paths.displayFile} is already running: ${lock.message}`);
    return EXIT.failure;
  }
  await removeOrphanedTemps(session.pipeline.paths.lockfile);
  const opened = await openStore(session).catch(async (err) => {
    await lock.lock.release();
    throw err;
  });
  if (!opened.ok) {
    await lock.lock.release();
    io.stderr.write(renderDiagnostics(opened.diagnostics, session.sources, { color }));
    return EXIT.invalid;
  }
  let outcome: RunOutcome;
  try {
    outcome = await runLocked(session, opened.store, selection, args, io, reporter);
    reporter.event({ type: "run-end", exitCode: outcome.exitCode, message: outcome.message });
  } finally {
    await reporter.close();
    await lock.lock.release();
  }
  // The task list does not show the run's end; say it once, plainly.
  if (live) writeLine(io.stderr, outcome.message);
  // After a run that did something and got to an end (done or gate not met), show the loss chart and the
  // candidates' pass rates; NDJSON consumers get the same facts from the events and results.json. A detached run
  // has not evaluated anything yet: what results.json holds belongs to an earlier run, so nothing is shown.
  if (
    args.json !== true &&
    outcome.ran > 0 &&
    !outcome.detached &&
    (outcome.exitCode === EXIT.ok || outcome.exitCode === EXIT.gateNotMet)
  ) {
    const summary = await loadRunSummary(session.pipeline.paths);
    if (summary) io.stdout.write(`\n${summary.endsWith("\n") ? summary : `${summary}\n`}`);
  }
  return outcome.exitCode;
}

/**
 * NDJSON with --json; the live task list on a terminal that reports its width (a pseudo-terminal without one, as
 * some CI runners and editors give, would draw the list one character per line); plain lines otherwise.
 */
async function chooseReporter(json: boolean, io: CliIo): Promise<{ reporter: Reporter; live: boolean }> {
  if (json) return { reporter: new JsonReporter(io.stdout), live: false };
  const columns = (io.stdout as Partial<NodeJS.WriteStream>).columns ?? 0;
  if (io.isTTY && columns > 0) {
    // listr2 is loaded only for a terminal: a CI run or a fresh rerun does not pay for it.
    const { ListrReporter } = await import("../engine/reporters/listr.js");
    return { reporter: new ListrReporter({ stdout: io.stdout, stderr: io.stderr }), live: true };
  }
  return { reporter: new PlainReporter(io.stdout), live: false };
}

/** How a run ended, for the exit code and the last line. */
interface RunOutcome {
  exitCode: number;
  message: string;
  ran: number;
  detached: boolean;
}

/** The run proper, under the lock: the budget question on a terminal, then the executor. */
async function runLocked(
  session: Session,
  store: LockfileStore,
  selection: Selection,
  args: Record<string, unknown>,
  io: CliIo,
  reporter: Reporter,
): Promise<RunOutcome> {
  const answer = args.yes === true ? "yes" : await confirmBudgetUpFront(session, store, selection, io);
  if (answer === "no")
    return {
      exitCode: EXIT.failure,
      message: "not run: over budget (pass --yes to go on without asking)",
      ran: 0,
      detached: false,
    };
  const counts = { ran: 0, skipped: 0 };
  const result = await execute({
    stages: STAGES,
    pipeline: session.pipeline,
    store,
    provider: session.provider,
    selection,
    options: { detach: args.detach === true, force: args.force === true },
    env: io.env,
    clock: systemClock,
    signal: io.signal,
    emit: (e: RunEvent) => {
      if (e.type === "stage-start") counts.ran += 1;
      if (e.type === "stage-skip") counts.skipped += 1;
      reporter.event(e);
    },
    budget: { yes: answer === "yes" },
  });
  if (result.kind === "plan-error") {
    io.stderr.write(renderDiagnostics(result.diagnostics, session.sources, { color: wantsColor(io.env, io.isTTY) }));
  }
  const inProcess = session.provider.identity.kind === "local";
  return { ...describeResult(result, counts, inProcess), ran: counts.ran, detached: result.kind === "detached" };
}

function parseSelection(args: Record<string, unknown>, io: CliIo): Selection | undefined {
  const stage = (flag: "only" | "from"): StageName | undefined | null => {
    const value = args[flag];
    if (value === undefined) return undefined;
    if (typeof value === "string" && (STAGE_NAMES as readonly string[]).includes(value)) return value as StageName;
    writeLine(io.stderr, `error: --${flag} takes a stage name: ${STAGE_NAMES.join(", ")} (got \`${String(value)}\`)`);
    return null;
  };
  const only = stage("only");
  const from = stage("from");
  if (only === null || from === null) return undefined;
  if (only && from) {
    writeLine(io.stderr, "error: --only and --from cannot be used together");
    return undefined;
  }
  return { ...(only ? { only } : {}), ...(from ? { from } : {}), force: args.force === true };
}

/**
 * On a terminal, ask before any work when the estimate is over budget. The executor checks again after prepare
 * (the data may have changed) and refuses there without asking, so a run without a terminal needs --yes.
 */
async function confirmBudgetUpFront(
  session: Session,
  store: LockfileStore,
  selection: Selection,
  io: CliIo,
): Promise<"yes" | "no" | "not-asked"> {
  if (!io.isTTY || session.pipeline.config.budget?.max_usd === undefined) return "not-asked";
  const plan = await planPipeline({
    stages: STAGES,
    pipeline: session.pipeline,
    lockfile: store.snapshot(),
    provider: session.provider.identity,
    selection,
  });
  if (!plan.ok) return "not-asked";
  const estimate = await estimateData(
    session.pipeline,
    plan.entries.find((e) => e.stage === "prepare"),
    store.record("prepare"),
    { tempRoot: tmpdir(), signal: io.signal },
  );
  const verdict = checkBudget(
    session.pipeline,
    await plannedCost(STAGES, session.pipeline, plan.entries, estimate?.usd),
  );
  if (verdict.kind === "within") return "not-asked";
  const rl = createInterface({ input: process.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    const answer = await rl.question(`${verdict.message}. Continue? [y/N] `, { signal: io.signal });
    return /^y(es)?$/i.test(answer.trim()) ? "yes" : "no";
  } catch {
    return "no";
  } finally {
    rl.close();
  }
}

function describeResult(
  result: RunResult,
  counts: { ran: number; skipped: number },
  inProcess: boolean,
): { exitCode: number; message: string } {
  switch (result.kind) {
    case "completed":
      return { exitCode: EXIT.ok, message: `done: ${counts.ran} stage(s) ran, ${counts.skipped} skipped` };
    case "detached":
      return { exitCode: EXIT.ok, message: `detached: ${result.message}${inProcess ? `; ${LOCAL_JOB_STOPS}` : ""}` };
    case "failed":
      return {
        exitCode: EXIT.failure,
        message: `${result.stage} failed: ${result.error.code}: ${result.error.message}`,
      };
    case "cancelled":
      return {
        exitCode: EXIT.failure,
        message: `${result.stage} was cancelled: ${result.error.code}: ${result.error.message}`,
      };
    case "halted":
      return { exitCode: result.exitCode, message: result.reason };
    case "interrupted":
      return {
        exitCode: EXIT.interrupted,
        message:
          inProcess && result.stage === "train"
            ? `interrupted: the lockfile is consistent; ${LOCAL_JOB_STOPS}`
            : inProcess
              ? "interrupted: the lockfile is consistent; run the same command again to resume"
              : "interrupted: the lockfile is consistent and remote work, if any, keeps running; run the same command again to resume",
      };
    case "budget-refused":
      return { exitCode: EXIT.failure, message: result.message };
    case "plan-error":
      return { exitCode: EXIT.invalid, message: "nothing ran: the selection cannot run (see above)" };
  }
}

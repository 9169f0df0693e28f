import { ignoreStateInGit } from "../config/paths.js";
import { createInterface } from "node:readline/promises";
import { systemClock } from "../core/clock.js";
import type { RunEvent } from "../engine/events.js";
import { execute, type RunResult } from "../engine/executor.js";
import type { Selection } from "../engine/plan.js";
import { withRunLock } from "../engine/run-lock.js";
import { autoSwitch, openStore, type Session } from "../engine/session.js";
import { loadRunSummary } from "../report/write.js";
import { STAGES } from "../stages/registry.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";
import { LOCAL_BATCHES_STOP, LOCAL_JOB_STOPS } from "./local-jobs.js";
import { chooseReporter } from "./reporters/choose.js";

export interface RunStagesOptions {
  selection: Selection;
  detach?: true;
  force?: true;
  /** --yes: go on past the budget without asking. */
  yes?: true;
  json?: true;
}

/**
 * What `run` and `watch` share: take the run lock, read the lockfile under it, run the executor with the chosen
 * display, say how it ended once, and map the result to an exit code (the executor never chooses one). After a run
 * that did something and got to an end (done, or the gate not met) the loss chart and pass rates follow.
 */
export async function runStages(session: Session, opts: RunStagesOptions, io: CliIo): Promise<number> {
  // One budget check, in the executor, after prepare has measured the data; on a terminal it asks.
  const mayAsk = io.isTTY && !opts.yes && session.pipeline.config.budget?.max_usd !== undefined;
  const { reporter, live } = await chooseReporter(opts.json === true, io, { mayAsk });
  const counts = { ran: 0, skipped: 0 };
  const locked = await withRunLock(session.pipeline.paths, systemClock, async () => {
    await ignoreStateInGit(session.pipeline.paths.root);
    const opened = await openStore(session);
    const refused = opened.ok ? autoSwitch(session, opened.store) : opened.diagnostics;
    if (!opened.ok || refused.length > 0) {
      printDiagnostics(io, refused, session.sources);
      return undefined;
    }
    try {
      const result = await execute({
        stages: STAGES,
        pipeline: session.pipeline,
        store: opened.store,
        provider: session.provider,
        selection: opts.selection,
        options: { detach: opts.detach === true, force: opts.force === true, yes: opts.yes === true },
        env: io.env,
        clock: systemClock,
        signal: io.signal,
        emit: (e: RunEvent) => {
          if (e.type === "stage-start") counts.ran += 1;
          if (e.type === "stage-skip") counts.skipped += 1;
          reporter.event(e);
        },
        ...(mayAsk ? { confirmBudget: (question: string) => ask(question, io) } : {}),
      });
      if (result.kind === "plan-error") printDiagnostics(io, result.diagnostics, session.sources);
      const end = describeResult(result, counts, session.provider.identity.kind === "local");
      reporter.event({ type: "run-end", exitCode: end.exitCode, message: end.message });
      return { ...end, detached: result.kind === "detached" };
    } finally {
      await reporter.close();
    }
  });
  if (!locked.ok) {
    await reporter.close();
    writeLine(io.stderr, `tunefile: ${locked.message}${locked.held ? "" : "; nothing ran"}`);
    return EXIT.failure;
  }
  const outcome = locked.value;
  if (!outcome) return EXIT.invalid;
  // The task list does not show the run's end; say it once, plainly.
  if (live) writeLine(io.stderr, outcome.message);
  // A detached run has not evaluated anything yet: what results.json holds belongs to an earlier run.
  const ended = outcome.exitCode === EXIT.ok || outcome.exitCode === EXIT.gateNotMet;
  if (!opts.json && counts.ran > 0 && !outcome.detached && ended) {
    const summary = await loadRunSummary(session.pipeline.paths);
    if (summary) io.stdout.write(`\n${summary.endsWith("\n") ? summary : `${summary}\n`}`);
  }
  return outcome.exitCode;
}

/** The budget question on a terminal; anything but yes (or Ctrl+C) is no. */
async function ask(question: string, io: CliIo): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal: io.signal })).trim());
  } catch {
    return false;
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
      return {
        exitCode: EXIT.ok,
        message: `detached: ${result.message}${inProcess ? `; ${result.stage === "train" ? LOCAL_JOB_STOPS : LOCAL_BATCHES_STOP}` : ""}`,
      };
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
      return { exitCode: EXIT.gateNotMet, message: result.reason };
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

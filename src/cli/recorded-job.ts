import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { openStore, type Session } from "../engine/session.js";
import type { StageRecord } from "../engine/stage.js";
import { recordedJob } from "../stages/train-remote.js";
import { type CliIo, EXIT, writeLine } from "./io.js";
import { openSessionFromArgs, type SessionArgs } from "./open-session.js";

/** A pipeline whose train stage names a remote job on the chosen provider. */
export interface RecordedJob {
  session: Session;
  record: StageRecord;
  jobId: string;
}

/**
 * What `watch` and `cancel` start from: the session, and the training job the lockfile records (read without the
 * lock; each command reads it again under the lock before writing). Prints why when there is nothing to act on,
 * and returns the exit code instead.
 */
export async function openRecordedJob(command: string, args: SessionArgs, io: CliIo): Promise<RecordedJob | number> {
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  const choice = session.provider;
  writeLine(io.stderr, choice.explanation);
  const opened = await openStore(session);
  if (!opened.ok) {
    io.stderr.write(renderDiagnostics(opened.diagnostics, session.sources, { color: wantsColor(io.env, io.isTTY) }));
    return EXIT.invalid;
  }
  const record = opened.store.record("train");
  const job = recordedJob(record);
  if (!record || !job) {
    const file = session.pipeline.paths.displayFile;
    writeLine(
      io.stderr,
      `tunefile ${command}: no training job is recorded for ${session.pipeline.config.name}; \`tunefile run ${file}\` starts one`,
    );
    return EXIT.failure;
  }
  const on = job.provider;
  if (on && (on.kind !== choice.identity.kind || on.base_url !== choice.identity.base_url)) {
    writeLine(
      io.stderr,
      `tunefile ${command}: job ${job.jobId} was created on ${on.kind} (${on.base_url}), not on ${choice.identity.kind} (${choice.identity.base_url}); choose that provider with --provider`,
    );
    return EXIT.invalid;
  }
  return { session, record, jobId: job.jobId };
}

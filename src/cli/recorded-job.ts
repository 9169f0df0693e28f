import { openStore, type Session } from "../engine/session.js";
import type { StageName, StageRecord } from "../engine/stage.js";
import { checkpointOf } from "../engine/stage-io.js";
import { recordedJob } from "../stages/train-remote.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";
import { openSessionFromArgs, type SessionArgs } from "./open-session.js";

/** A pipeline whose stage names remote work (a training job, evaluation batches) on the chosen provider. */
export interface RecordedWork {
  session: Session;
  stage: StageName;
  record: StageRecord;
  /** The remote ids, for messages. */
  ids: string[];
}

/**
 * What `watch` and `cancel` start from: the session, and the remote work the lockfile records for one of `stages`
 * (read without the lock; each command reads it again under the lock before writing). The training job comes first;
 * evaluation batches count while evaluate is running. Prints why when there is nothing to act on, and returns the
 * exit code instead.
 */
export async function openRecordedWork(
  command: string,
  args: SessionArgs,
  io: CliIo,
  stages: readonly ("train" | "evaluate")[],
): Promise<RecordedWork | number> {
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  const choice = session.provider;
  writeLine(io.stderr, choice.explanation);
  const opened = await openStore(session);
  if (!opened.ok) {
    printDiagnostics(io, opened.diagnostics, session.sources);
    return EXIT.invalid;
  }
  const train = opened.store.record("train");
  const job = recordedJob(train);
  const evaluate = opened.store.record("evaluate");
  const batches = Object.values(checkpointOf("evaluate", evaluate).batches ?? {}).flatMap((b) =>
    b.batch_id ? [b.batch_id] : [],
  );
  const trainRunning = stages.includes("train") && job !== undefined && train?.status === "running";
  if (!trainRunning && stages.includes("evaluate") && evaluate?.status === "running" && batches.length > 0) {
    return { session, stage: "evaluate", record: evaluate, ids: batches };
  }
  if (!train || !job || !stages.includes("train")) {
    const what = stages.includes("evaluate") ? "no training job or evaluation batch" : "no training job";
    const file = session.pipeline.paths.displayFile;
    writeLine(
      io.stderr,
      `tunefile ${command}: ${what} is recorded for ${session.pipeline.config.name}; \`tunefile run ${file}\` starts one`,
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
  return { session, stage: "train", record: train, ids: [job.jobId] };
}

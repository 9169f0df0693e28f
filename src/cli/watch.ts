import { type CliIo, EXIT, writeLine } from "./io.js";
import type { SessionArgs } from "./open-session.js";
import { openRecordedWork } from "./recorded-job.js";
import { runStages } from "./run-stages.js";

/**
 * `tunefile watch <pipeline>`: `run` resuming the recorded remote work in the foreground (after `run --detach`,
 * Ctrl+C or a crash): the training job, or the evaluation's batches. It never starts anything new: it follows the
 * work to the end and records the outcome, with the same displays and exit codes as `run`. Ctrl+C stops watching
 * and leaves the remote work running.
 */
export default async function watch(args: SessionArgs & { json?: true }, io: CliIo): Promise<number> {
  const opened = await openRecordedWork("watch", args, io, ["train", "evaluate"]);
  if (typeof opened === "number") return opened;
  const { session, stage, record } = opened;
  const jobId = opened.ids.join(", ");
  if (stage === "train" && record.status === "succeeded") {
    writeLine(io.stdout, `train succeeded: ${String(record.outputs?.fine_tuned_model)} (job ${jobId})`);
    return EXIT.ok;
  }
  if (record.status !== "running") {
    const why = record.error ? `: ${record.error.code}: ${record.error.message}` : "";
    writeLine(io.stderr, `tunefile watch: ${stage} is ${record.status} (job ${jobId})${why}`);
    return EXIT.failure;
  }
  return runStages(session, { selection: { only: stage, resumeOnly: true }, yes: true, json: args.json }, io);
}

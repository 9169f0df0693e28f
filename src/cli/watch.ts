import { type CliIo, EXIT, writeLine } from "./io.js";
import type { SessionArgs } from "./open-session.js";
import { openRecordedJob } from "./recorded-job.js";
import { runStages } from "./run-stages.js";

/**
 * `tunefile watch <pipeline>`: `run` resuming the recorded training job in the foreground (after `run --detach`,
 * Ctrl+C or a crash), never starting a new one: it follows the job to the end and records the outcome, with the
 * same displays and exit codes as `run`. Ctrl+C stops watching and leaves the job running.
 */
export default async function watch(args: SessionArgs & { json?: true }, io: CliIo): Promise<number> {
  const opened = await openRecordedJob("watch", args, io);
  if (typeof opened === "number") return opened;
  const { session, record, jobId } = opened;
  if (record.status === "succeeded") {
    writeLine(io.stdout, `train succeeded: ${String(record.outputs?.fine_tuned_model)} (job ${jobId})`);
    return EXIT.ok;
  }
  if (record.status !== "running") {
    const why = record.error ? `: ${record.error.code}: ${record.error.message}` : "";
    writeLine(io.stderr, `tunefile watch: train is ${record.status} (job ${jobId})${why}`);
    return EXIT.failure;
  }
  const selection = { only: "train" as const, resumeOnly: true };
  return runStages(session, { selection, detach: false, force: false, yes: true, json: args.json === true }, io);
}

import type { Selection } from "../engine/plan.js";
import { STAGE_NAMES, type StageName } from "../engine/stage.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";
import { openSessionFromArgs, type SessionArgs } from "./open-session.js";
import { runStages } from "./run-stages.js";

/**
 * `tunefile run <pipeline>`: loads the pipeline, chooses the provider (one line on stderr says which and why), and
 * runs the stale stages with a live task list (TTY), plain lines (no TTY) or NDJSON (--json).
 * Exit codes: 0 done (or detached), 1 a stage failed / was cancelled / the lock is held / over budget, 2 invalid
 * pipeline, lockfile, provider settings or flags, 100 evaluation gate not met, 130 interrupted.
 */
export interface RunArgs extends SessionArgs {
  only?: string;
  from?: string;
  force?: true;
  detach?: true;
  yes?: true;
  json?: true;
}

export default async function run(args: RunArgs, io: CliIo): Promise<number> {
  const selection = parseSelection(args, io);
  if (!selection) return EXIT.invalid;
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  printDiagnostics(io, session.warnings, session.sources);
  writeLine(io.stderr, session.provider.explanation);
  const { detach, force, yes, json } = args;
  return runStages(session, { selection, detach, force, yes, json }, io);
}

function parseSelection(args: RunArgs, io: CliIo): Selection | undefined {
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

import { openSession, type Session } from "../engine/session.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, printDiagnostics } from "./io.js";

/** The flags every command that loads a pipeline shares. */
export interface SessionArgs {
  pipeline: string;
  /** -S key=value overrides, in order. */
  set?: string[];
  /** --provider: overrides the pipeline's provider. */
  provider?: string;
}

/**
 * The session a command's arguments ask for. When the pipeline or the provider settings do not load, every
 * diagnostic is printed and the exit code (2) comes back instead, so each command handles invalid input the same way.
 */
export async function openSessionFromArgs(args: SessionArgs, io: CliIo): Promise<Session | number> {
  const loaded = await openSession({
    file: args.pipeline,
    cwd: io.cwd,
    env: io.env,
    overrides: args.set ?? [],
    providerFlag: args.provider,
    now: systemClock.now(),
  });
  if (!loaded.ok) {
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    return EXIT.invalid;
  }
  return loaded.session;
}

import path from "node:path";
import { type CliIo, EXIT, writeLine } from "./io.js";

/**
 * `tunefile serve`: the built-in OpenAI-compatible local provider. Prints the base URL as its first line, then
 * serves until SIGINT/SIGTERM and stops gracefully (running jobs resume on the next start).
 */
export interface ServeArgs {
  host: string;
  port: string;
  state: string;
  apiKey?: string;
  stepMs?: string;
  batchMs?: string;
  batchTokens?: string;
  faults?: string;
}

export default async function serve(args: ServeArgs, io: CliIo): Promise<number> {
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    writeLine(io.stderr, `tunefile serve: --port must be an integer between 0 and 65535, got "${String(args.port)}"`);
    return EXIT.invalid;
  }
  const { parseKnobs } = await import("../server/knobs.js");
  const knobs = parseKnobs(args, io.env);
  if (!knobs.ok) {
    writeLine(io.stderr, `tunefile serve: ${knobs.message}`);
    return EXIT.invalid;
  }
  const { startLocalServer } = await import("../server/app.js");
  const { StateDirInUseError } = await import("../core/state-dir-lock.js");
  const started = await startLocalServer({
    host: args.host,
    port,
    stateDir: path.resolve(io.cwd, args.state),
    apiKey: args.apiKey,
    ...knobs.options,
  }).catch((error: unknown) => {
    // The two expected ways to fail to start; anything else is a bug and propagates.
    if (error instanceof StateDirInUseError) return { problem: error.message };
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") return { problem: `port ${port} is already in use` };
    throw error;
  });
  if ("problem" in started) {
    writeLine(io.stderr, `tunefile serve: ${started.problem}`);
    return EXIT.failure;
  }
  const server = started;
  writeLine(io.stdout, server.url);
  if (!io.signal.aborted) {
    await new Promise<void>((resolve) => io.signal.addEventListener("abort", () => resolve(), { once: true }));
  }
  await server.close();
  writeLine(io.stderr, "tunefile serve: stopped");
  return EXIT.ok;
}

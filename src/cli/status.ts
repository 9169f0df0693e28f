import { readStatus } from "../report/status-view.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, printDiagnostics } from "./io.js";
import { renderStatus } from "./status-text.js";

/**
 * `tunefile status <pipeline>`: each stage's state from the lockfile (status, attempts, times, key outputs, the last
 * error), the deploy alias, and, when a training job is in flight, where the provider says it is (`--provider`
 * picks another). It takes no lock. `--json` prints the lockfile's content as JSON plus `remote.train` and `deploy`.
 * Exit 0, or 2 when the lockfile is corrupt, invalid or from a newer tunefile.
 */
export default async function status(
  args: { pipeline: string; provider?: string; json?: true },
  io: CliIo,
): Promise<number> {
  const file = args.pipeline;
  const read = await readStatus({
    file,
    cwd: io.cwd,
    env: io.env,
    signal: io.signal,
    providerFlag: args.provider || undefined,
  });
  if (!read.ok) {
    printDiagnostics(io, read.diagnostics, read.sources);
    return EXIT.invalid;
  }
  const { view } = read;
  if (args.json === true) {
    const deploy = {
      alias: view.alias.kind === "missing" ? null : view.alias,
      ...(view.gate ? { skipped_by_gate: view.gate } : {}),
    };
    const remote = view.remote ? { remote: { train: view.remote } } : {};
    io.stdout.write(
      `${JSON.stringify({ lockfile: view.display, exists: view.exists, ...view.lockfile, ...remote, deploy })}\n`,
    );
    return EXIT.ok;
  }
  io.stdout.write(renderStatus(view, file, systemClock.now()));
  return EXIT.ok;
}

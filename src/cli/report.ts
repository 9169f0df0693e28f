import { relativePosix } from "../core/display-path.js";
import { spawn } from "node:child_process";
import { loadPipeline } from "../pipeline/load.js";
import { renderRunSummary } from "../report/terminal.js";
import { readResults, resultsFile, writeReports } from "../report/write.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";

/** The command that opens a file in the user's browser: $BROWSER when set, else the platform's opener. */
function opener(io: CliIo): { command: string; args: string[] } {
  if (io.env.BROWSER) return { command: io.env.BROWSER, args: [] };
  switch (process.platform) {
    case "darwin":
      return { command: "open", args: [] };
    case "win32":
      return { command: "cmd", args: ["/c", "start", ""] };
    default:
      return { command: "xdg-open", args: [] };
  }
}

function openFile(io: CliIo, file: string): Promise<boolean> {
  const { command, args } = opener(io);
  return new Promise((resolve) => {
    const child = spawn(command, [...args, file], { stdio: "ignore", detached: true, env: { ...io.env } });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}

/**
 * `tunefile report <pipeline> [--open]`: writes reports/<name>/report.md, report.html and results.json again from
 * the recorded results (`.tunefile/<name>/eval/results.json`) and the training metrics, without calling any provider.
 */
export default async function report(args: { pipeline: string; open?: true }, io: CliIo): Promise<number> {
  const file = args.pipeline;
  const loaded = await loadPipeline(file, { cwd: io.cwd, env: io.env });
  if (!loaded.ok) {
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    return EXIT.invalid;
  }
  const { paths } = loaded.pipeline;
  const results = await readResults(paths);
  if (!results) {
    // In a fresh clone the lockfile may say evaluate ran: its results stay in the work directory, not committed.
    const where = relativePosix(io.cwd, resultsFile(paths));
    const message = `no evaluation results in ${where} (evaluate writes them on the machine it runs on); run \`tunefile run ${file}\`, with \`--from evaluate\` if it ran elsewhere`;
    writeLine(io.stderr, `tunefile report: ${message}`);
    return EXIT.failure;
  }
  const written = await writeReports(paths, results);
  const shown = (f: string) => relativePosix(io.cwd, f);
  io.stdout.write(renderRunSummary({ results, metrics: written.metrics }));
  for (const f of [written.markdown, written.html, written.json]) writeLine(io.stdout, `wrote ${shown(f)}`);
  if (args.open === true && !(await openFile(io, written.html))) {
    writeLine(io.stderr, `tunefile report: could not start a browser; open ${shown(written.html)} yourself`);
  }
  return EXIT.ok;
}

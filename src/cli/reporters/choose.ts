import type { CliIo } from "../io.js";
import { JsonReporter } from "./json.js";
import { PlainReporter } from "./plain.js";
import type { Reporter } from "./reporter.js";

/**
 * The one place a display is chosen, for every command that runs stages (`run`, `watch`): NDJSON with --json; the
 * live task list on a terminal that reports its width (a pseudo-terminal without one, as some CI runners and
 * editors give, would draw the list one character per line); plain lines otherwise, and when the run may stop to ask
 * the user something.
 */
export async function chooseReporter(
  json: boolean,
  io: CliIo,
  opts: { mayAsk: boolean },
): Promise<{ reporter: Reporter; live: boolean }> {
  if (json) return { reporter: new JsonReporter(io.stdout), live: false };
  const columns = (io.stdout as Partial<NodeJS.WriteStream>).columns ?? 0;
  // listr2 holds the terminal while it draws: a question asked meanwhile (the budget) would be hidden until the end.
  if (io.isTTY && columns > 0 && !opts.mayAsk) {
    // listr2 is loaded only for a terminal: a CI run or a fresh rerun does not pay for it.
    const { ListrReporter } = await import("./listr.js");
    return { reporter: new ListrReporter({ stdout: io.stdout, stderr: io.stderr }), live: true };
  }
  return { reporter: new PlainReporter(io.stdout), live: false };
}

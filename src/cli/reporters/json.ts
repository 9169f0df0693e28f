import type { RunEvent } from "../../engine/events.js";
import type { Reporter } from "./reporter.js";

/** `--json`: one RunEvent per line (NDJSON), exactly as emitted, for scripts and CI. */
export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  event(e: RunEvent): void {
    this.out.write(`${JSON.stringify(e)}\n`);
  }

  async close(): Promise<void> {}
}

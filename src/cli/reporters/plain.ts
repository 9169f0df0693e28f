import type { RunEvent } from "../../engine/events.js";
import type { StageName } from "../../engine/stage.js";
import { formatEnd, formatProgress, formatRetry } from "./format.js";
import type { Reporter } from "./reporter.js";

/** Progress lines per stage when steps are known: about ten, plus the first and the last. */
const PROGRESS_LINES = 10;

/**
 * Plain lines for logs and CI (no terminal): one line per event, prefixed with the stage, e.g.
 * `train     step 42/100, loss 0.31, ETA 1m20s`. Each stage's start (with the plan's reason) and end are one line
 * each: the plan itself prints nothing, since every stage then starts or is skipped with that same reason. Training
 * progress is thinned to about ten lines per stage so that a long job does not flood the log.
 */
export class PlainReporter implements Reporter {
  private lastStepLine = new Map<StageName, number>();
  private lastMessage = new Map<StageName, string>();

  constructor(private readonly out: NodeJS.WritableStream) {}

  event(e: RunEvent): void {
    switch (e.type) {
      case "plan":
        return;
      case "stage-start":
        this.line(e.stage, `${e.action === "resume" ? "resuming" : "running"} (${e.reason})`);
        return;
      case "stage-skip":
        this.line(e.stage, `skipped: ${e.reason}`);
        return;
      case "stage-progress": {
        if (!this.wantsProgress(e)) return;
        const text = formatProgress(e);
        if (this.lastMessage.get(e.stage) === text) return;
        this.lastMessage.set(e.stage, text);
        this.line(e.stage, text);
        return;
      }
      case "stage-log":
        this.line(e.stage, e.level === "info" ? e.message : `${e.level}: ${e.message}`);
        return;
      case "retry":
        this.line(e.stage ?? "run", formatRetry(e));
        return;
      case "stage-end":
        this.line(e.stage, formatEnd(e));
        return;
      case "run-end":
        this.line("run", e.message);
        return;
      default: {
        const unknown: never = e;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }

  async close(): Promise<void> {}

  private wantsProgress(e: Extract<RunEvent, { type: "stage-progress" }>): boolean {
    if (e.step === undefined || e.totalSteps === undefined || e.totalSteps <= 0) return true;
    const every = Math.max(1, Math.ceil(e.totalSteps / PROGRESS_LINES));
    const bucket = Math.floor(e.step / every);
    const last = this.lastStepLine.get(e.stage);
    if (e.step === e.totalSteps || last === undefined || bucket > last) {
      this.lastStepLine.set(e.stage, bucket);
      return true;
    }
    return false;
  }

  private line(stage: string, text: string): void {
    this.out.write(`${stage.padEnd(9)}${text}\n`);
  }
}

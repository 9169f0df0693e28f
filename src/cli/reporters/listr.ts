import { Listr, ListrLogger, ProcessOutput } from "listr2";
import type { PlanEntry, RunEvent } from "../../engine/events.js";
import type { StageName } from "../../engine/stage.js";
import { formatEnd, formatProgress, formatRetry } from "./format.js";
import type { Reporter } from "./reporter.js";

/** How a stage's line ends: it finished (title shown), was skipped, or failed (the message is shown). */
type Final = { kind: "done"; title: string } | { kind: "skip"; reason: string } | { kind: "fail"; message: string };

/** One stage's task: events may arrive before listr starts the task, so its state is kept here until then. */
interface Slot {
  title: string;
  output: string | undefined;
  losses: number[];
  settle(final: Final): void;
  final: Promise<Final>;
  task: { title: string; output: string } | undefined;
}

export interface ListrReporterOptions {
  /** Where the task list is drawn. */
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** listr2 renderer. Default: "default" (the live task list); tests use "simple". */
  renderer?: "default" | "simple";
}

/** The sparkline's width: the last N reported losses. */
const CHART_POINTS = 24;
const BARS = "▁▂▃▄▅▆▇█";

/**
 * The live task list on a terminal: one listr2 task per stage, driven entirely by run events. The train stage's line
 * shows `step 42/100, loss 0.31, ETA 1m20s` and a small loss chart. listr2's own signal handling is off: Ctrl+C
 * belongs to the CLI, which stops the run cleanly.
 */
export class ListrReporter implements Reporter {
  private slots = new Map<StageName, Slot>();
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: ListrReporterOptions) {}

  event(e: RunEvent): void {
    switch (e.type) {
      case "plan":
        this.start(e.entries);
        return;
      case "stage-start":
        this.update(e.stage, { title: `${e.stage}: ${e.action === "resume" ? "resuming" : "running"}` });
        return;
      case "stage-progress": {
        const slot = this.slots.get(e.stage);
        if (slot && e.loss !== undefined) slot.losses = [...slot.losses, e.loss].slice(-CHART_POINTS);
        const chart = slot && slot.losses.length > 1 ? `\nloss ${sparkline(slot.losses)}` : "";
        this.update(e.stage, { output: `${formatProgress(e)}${chart}` });
        return;
      }
      case "stage-log":
        this.update(e.stage, { output: e.level === "info" ? e.message : `${e.level}: ${e.message}` });
        return;
      case "retry":
        if (e.stage) this.update(e.stage, { output: formatRetry(e) });
        return;
      case "stage-skip":
        this.slots.get(e.stage)?.settle({ kind: "skip", reason: `${e.stage}: ${e.reason}` });
        return;
      case "stage-end": {
        const text = `${e.stage}: ${formatEnd(e)}`;
        const ok = e.status === "succeeded" || e.status === "detached";
        this.slots.get(e.stage)?.settle(ok ? { kind: "done", title: text } : { kind: "fail", message: text });
        return;
      }
      case "run-end":
        return;
      default: {
        const unknown: never = e;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }

  async close(): Promise<void> {
    // Stages never reached (an abort before their events) are closed as skipped so listr can finish.
    for (const slot of this.slots.values()) slot.settle({ kind: "skip", reason: `${slot.title}: not reached` });
    await this.running;
  }

  private start(entries: PlanEntry[]): void {
    if (this.running) return;
    for (const entry of entries) this.slots.set(entry.stage, makeSlot(entry.stage));
    const processOutput = new ProcessOutput(
      this.options.stdout as NodeJS.WriteStream,
      this.options.stderr as NodeJS.WriteStream,
    );
    const list = new Listr(
      entries.map((entry) => ({
        title: entry.stage,
        task: async (_ctx: unknown, task: { title: string; output: string; skip(message?: string): void }) => {
          const slot = this.slots.get(entry.stage)!;
          slot.task = task;
          task.title = slot.title;
          if (slot.output !== undefined) task.output = slot.output;
          const final = await slot.final;
          switch (final.kind) {
            case "done":
              task.title = final.title;
              return;
            case "skip":
              task.skip(final.reason);
              return;
            case "fail":
              // The renderer puts the message in place of the title, so the message names the stage itself.
              task.title = entry.stage;
              throw new Error(final.message);
          }
        },
        rendererOptions: { outputBar: 2 },
      })),
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: this.options.renderer ?? "default",
        rendererOptions: { collapseErrors: true, formatOutput: "truncate", logger: new ListrLogger({ processOutput }) },
      },
    );
    // A failed stage is a value of the run, not an error of the display: listr's rejection carries nothing new.
    this.running = list.run().catch(() => {});
  }

  private update(stage: StageName, patch: { title?: string; output?: string }): void {
    const slot = this.slots.get(stage);
    if (!slot) return;
    Object.assign(slot, patch);
    if (slot.task) Object.assign(slot.task, patch);
  }
}

/** Only the first settle counts: a promise resolves once. */
function makeSlot(stage: StageName): Slot {
  let settle!: (final: Final) => void;
  const final = new Promise<Final>((resolve) => {
    settle = resolve;
  });
  return { title: stage, output: undefined, losses: [], settle, final, task: undefined };
}

/** Losses as bars from the lowest (▁) to the highest (█) of the window. */
export function sparkline(values: number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  return values.map((v) => BARS[Math.round(((v - min) / span) * (BARS.length - 1))]).join("");
}

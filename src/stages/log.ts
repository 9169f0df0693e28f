import type { StageContext } from "../engine/stage.js";

/** A line of the stage's own in the run's log. */
export function logLine(
  ctx: Pick<StageContext, "stage" | "emit">,
  message: string,
  level: "info" | "warn" | "error" = "info",
) {
  ctx.emit({ type: "stage-log", stage: ctx.stage, level, message });
}

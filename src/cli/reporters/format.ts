import type { RunEvent } from "../../engine/events.js";

/** "1m20s", "45s", "2h05m": short enough for a task list line. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * A progress event as one line: "step 42/100, loss 0.31, ETA 1m20s" when the stage reports steps (training),
 * otherwise its message. The message follows the numbers when both are given and it says something more.
 */
export function formatProgress(e: Extract<RunEvent, { type: "stage-progress" }>): string {
  const parts: string[] = [];
  if (e.step !== undefined)
    parts.push(e.totalSteps !== undefined ? `step ${e.step}/${e.totalSteps}` : `step ${e.step}`);
  if (e.loss !== undefined) parts.push(`loss ${e.loss.toFixed(2)}`);
  if (e.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(e.etaSeconds)}`);
  if (parts.length === 0) return e.message;
  const numbers = parts.join(", ");
  // Stages often repeat the numbers in their message; add it only when it says something more.
  const repeats = e.step !== undefined && e.message.includes(`step ${e.step}`);
  return e.message && !repeats ? `${numbers} (${e.message})` : numbers;
}

export function formatRetry(e: Extract<RunEvent, { type: "retry" }>): string {
  return `retrying in ${(e.delayMs / 1000).toFixed(1)}s after attempt ${e.attempt}: ${e.reason}`;
}

/** "failed: invalid_n_examples: Training file has 5 examples..." */
export function formatEnd(e: Extract<RunEvent, { type: "stage-end" }>): string {
  const error = e.error ? `: ${e.error.code}: ${e.error.message}` : "";
  const summary = e.summary ? ` (${e.summary})` : "";
  switch (e.status) {
    case "succeeded":
      return `succeeded${summary}`;
    case "detached":
      return `detached${e.summary ? `: ${e.summary}` : ""}`;
    case "running":
      return e.summary ?? "interrupted";
    case "failed":
    case "cancelled":
    case "pending":
      return `${e.status}${error}${error ? "" : summary}`;
  }
}

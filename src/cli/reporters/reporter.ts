import type { RunEvent } from "../../engine/events.js";

/** Displays run events. Reporters never drive the run: they only look at what the executor emits. */
export interface Reporter {
  event(e: RunEvent): void;
  /** Flushes and stops any live display. Call once, after the last event. */
  close(): Promise<void>;
}

import type { Clock } from "../core/clock.js";

/** Unix seconds, the unit of every `created_at` / `finished_at` the API returns. */
export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

import type { TransformStep } from "./context.js";

/** Keeps the first `n` examples and stops reading after them. */
export function limitStep(n: number): TransformStep {
  return async function* (items) {
    if (n <= 0) return;
    let kept = 0;
    for await (const item of items) {
      yield item;
      if (++kept >= n) return;
    }
  };
}

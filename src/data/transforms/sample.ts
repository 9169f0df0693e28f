import type { SampleTransform } from "../../core/pipeline.generated.js";
import { permutation } from "../../core/prng.js";
import { withSpill } from "../spill.js";
import type { TransformContext, TransformStep } from "./context.js";

/**
 * Keeps a seeded uniform sample of `n` examples (or `fraction` of them, rounded), in their original order.
 * Spills to disk to learn the count: memory holds offsets and a bitmap.
 */
export function sampleStep(config: SampleTransform["sample"], ctx: TransformContext): TransformStep {
  const seed = config.seed ?? 0;
  return (items) =>
    withSpill(items, ctx.tempDir, async function* (spill) {
      const total = spill.count;
      const k = config.n !== undefined ? Math.min(config.n, total) : Math.round(total * (config.fraction ?? 1));
      yield* spill.read(chosenIndices(total, k, seed));
    });
}

/** `k` seeded random indices of 0..total-1, ascending (so the chosen examples keep their order). */
export function chosenIndices(total: number, k: number, seed: number): Uint32Array {
  return permutation(total, seed, k).sort();
}

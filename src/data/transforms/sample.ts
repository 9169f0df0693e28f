import type { SampleTransform } from "../../config/pipeline.generated.js";
import { permutation } from "../prng.js";
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
      const chosen = chosenMask(total, k, seed);
      let i = 0;
      for await (const item of spill.read()) if (chosen[i++] === 1) yield item;
    });
}

/** A 0/1 mask of length `total` with `k` ones at seeded random positions. */
export function chosenMask(total: number, k: number, seed: number): Uint8Array {
  const mask = new Uint8Array(total);
  for (const index of permutation(total, seed, k)) mask[index] = 1;
  return mask;
}

import { permutation } from "../../core/prng.js";
import { withSpill } from "../spill.js";
import type { TransformContext, TransformStep } from "./context.js";

/** Shuffles every example with a seeded permutation. Spills to disk: memory holds offsets only. */
export function shuffleStep(seed: number, ctx: TransformContext): TransformStep {
  return (items) => withSpill(items, ctx.tempDir, (spill) => spill.read(permutation(spill.count, seed)));
}

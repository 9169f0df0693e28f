import { createHash } from "node:crypto";
import { canonicalJson } from "../../core/canonical-json.js";
import type { Transform } from "../../core/pipeline.generated.js";
import { permutation } from "../../core/prng.js";
import { DigestSet } from "../digest-set.js";
import type { DataItem } from "../item.js";
import { withSpill } from "../spill.js";
import type { TransformContext, TransformStep } from "./context.js";
import { filterStep } from "./filter.js";
import { sampleStep } from "./sample.js";
import { systemStep } from "./system.js";
import { templateStep } from "./template.js";

/** The step for one transform of the pipeline file (an object with exactly one key naming it). */
function transformStep(transform: Transform, ctx: TransformContext): TransformStep {
  if ("system" in transform) return systemStep(transform.system);
  if ("template" in transform) return templateStep(transform.template, ctx);
  if ("filter" in transform) return filterStep(transform.filter, ctx);
  if ("dedupe" in transform) return dedupeStep();
  if ("shuffle" in transform) return shuffleStep(transform.shuffle.seed ?? 0, ctx);
  if ("limit" in transform) return limitStep(transform.limit);
  if ("sample" in transform) return sampleStep(transform.sample, ctx);
  const never: never = transform;
  throw new Error(`unknown transform ${JSON.stringify(never)}`);
}

/**
 * Drops exact repeats: examples whose canonical JSON (sorted keys, so key order does not matter) is identical
 * to an earlier one's. Memory holds a 128-bit prefix of each sha256 (16 to 32 bytes an example), not the examples.
 */
function dedupeStep(): TransformStep {
  return async function* (items) {
    const seen = new DigestSet();
    for await (const item of items) {
      if (seen.add(createHash("sha256").update(canonicalJson(item.value)).digest())) yield item;
    }
  };
}

/** Shuffles every example with a seeded permutation. Spills to disk: memory holds offsets only. */
function shuffleStep(seed: number, ctx: TransformContext): TransformStep {
  return (items) => withSpill(items, ctx.tempDir, (spill) => spill.read(permutation(spill.count, seed)));
}

/** Keeps the first `n` examples and stops reading after them. */
function limitStep(n: number): TransformStep {
  return async function* (items) {
    if (n <= 0) return;
    let kept = 0;
    for await (const item of items) {
      yield item;
      if (++kept >= n) return;
    }
  };
}

/** Applies the transforms in order, lazily: nothing is read until the result is iterated. */
export function applyTransforms(
  items: AsyncIterable<DataItem>,
  transforms: readonly Transform[],
  ctx: TransformContext,
): AsyncIterable<DataItem> {
  return transforms.reduce((stream, t) => transformStep(t, ctx)(stream), items);
}

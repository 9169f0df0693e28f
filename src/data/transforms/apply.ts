import type { Transform } from "../../core/pipeline.generated.js";
import type { DataItem } from "../item.js";
import type { TransformContext, TransformStep } from "./context.js";
import { dedupeStep } from "./dedupe.js";
import { filterStep } from "./filter.js";
import { limitStep } from "./limit.js";
import { sampleStep } from "./sample.js";
import { shuffleStep } from "./shuffle.js";
import { systemStep } from "./system.js";
import { templateStep } from "./template.js";

/** The step for one transform of the pipeline file (an object with exactly one key naming it). */
export function transformStep(transform: Transform, ctx: TransformContext): TransformStep {
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

/** Applies the transforms in order, lazily: nothing is read until the result is iterated. */
export function applyTransforms(
  items: AsyncIterable<DataItem>,
  transforms: readonly Transform[],
  ctx: TransformContext,
): AsyncIterable<DataItem> {
  return transforms.reduce((stream, t) => transformStep(t, ctx)(stream), items);
}

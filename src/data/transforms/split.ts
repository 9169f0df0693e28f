import type { Dataset } from "../../core/pipeline.generated.js";
import type { DataItem } from "../item.js";
import type { Spill } from "../spill.js";
import { chosenIndices } from "./sample.js";

type SplitConfig = NonNullable<Dataset["split"]>;

/** How many of `total` examples go to validation: the rounded fraction, but leaving at least one on each side. */
export function validationCount(total: number, fraction: number): number {
  if (total < 2) return 0;
  return Math.min(total - 1, Math.max(1, Math.round(total * fraction)));
}

/**
 * Carves a seeded validation set out of spilled examples. Both sides keep the examples' order (so a shuffle
 * before the split still holds); each side is one forward pass over the spill file, parsing only its own items.
 */
export function splitSpill(
  spill: Spill,
  config: SplitConfig,
): { train: AsyncIterable<DataItem>; validation: AsyncIterable<DataItem> } {
  const validation = chosenIndices(spill.count, validationCount(spill.count, config.validation), config.seed ?? 0);
  const train = new Uint32Array(spill.count - validation.length);
  let t = 0;
  let v = 0;
  for (let i = 0; i < spill.count; i++) {
    if (v < validation.length && validation[v] === i) v++;
    else train[t++] = i;
  }
  return { train: spill.read(train), validation: spill.read(validation) };
}

import type { Dataset } from "../../config/pipeline.generated.js";
import type { DataItem } from "../item.js";
import type { Spill } from "../spill.js";
import { chosenMask } from "./sample.js";

type SplitConfig = NonNullable<Dataset["split"]>;

/** How many of `total` examples go to validation: the rounded fraction, but leaving at least one on each side. */
export function validationCount(total: number, fraction: number): number {
  if (total < 2) return 0;
  return Math.min(total - 1, Math.max(1, Math.round(total * fraction)));
}

/**
 * Carves a seeded validation set out of spilled examples. Both sides keep the examples' order (so a shuffle
 * before the split still holds); each side is one sequential pass over the spill file.
 */
export function splitSpill(
  spill: Spill,
  config: SplitConfig,
): { train: AsyncIterable<DataItem>; validation: AsyncIterable<DataItem> } {
  const mask = chosenMask(spill.count, validationCount(spill.count, config.validation), config.seed ?? 0);
  const side = (want: 0 | 1) =>
    async function* () {
      let i = 0;
      for await (const item of spill.read()) if (mask[i++] === want) yield item;
    };
  return { train: side(0)(), validation: side(1)() };
}

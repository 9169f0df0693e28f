import { createHash } from "node:crypto";
import { canonicalJson } from "../../core/canonical-json.js";
import { DigestSet } from "../digest-set.js";
import type { TransformStep } from "./context.js";

/**
 * Drops exact repeats: examples whose canonical JSON (sorted keys, so key order does not matter) is identical
 * to an earlier one's. Memory holds a 128-bit prefix of each sha256 (16 to 32 bytes an example), not the examples.
 */
export function dedupeStep(): TransformStep {
  return async function* (items) {
    const seen = new DigestSet();
    for await (const item of items) {
      if (seen.add(createHash("sha256").update(canonicalJson(item.value)).digest())) yield item;
    }
  };
}

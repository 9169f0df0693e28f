import { createHash } from "node:crypto";
import { canonicalJson } from "../../engine/canonical-json.js";
import type { TransformStep } from "./context.js";

/**
 * Drops exact repeats: examples whose canonical JSON (sorted keys, so key order does not matter) is identical
 * to an earlier one's. Memory holds a 128-bit prefix of each sha256 (about 60 bytes an example), not the examples.
 */
export function dedupeStep(): TransformStep {
  return async function* (items) {
    const seen = new Set<string>();
    for await (const item of items) {
      const digest = createHash("sha256").update(canonicalJson(item.value)).digest();
      const key = digest.toString("latin1", 0, 16);
      if (seen.has(key)) continue;
      seen.add(key);
      yield item;
    }
  };
}

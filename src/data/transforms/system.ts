import type { SystemTransform } from "../../core/pipeline.generated.js";
import { type DataItem, messagesOf, roleOf } from "../item.js";
import type { TransformStep } from "./context.js";

/**
 * Sets the system message. `replace` (default) drops existing system messages and puts this one first;
 * `if_missing` adds it only to examples without one. For DPO it applies to `input.messages`. An example without a
 * messages list is passed on untouched (the format checks report it).
 */
export function systemStep(config: SystemTransform["system"]): TransformStep {
  const content = typeof config === "string" ? config : config.content;
  const mode = typeof config === "string" ? "replace" : (config.mode ?? "replace");
  const system = { role: "system", content };
  return async function* (items) {
    for await (const item of items) {
      const messages = messagesOf(item.value);
      if (!messages) {
        yield item;
        continue;
      }
      const hasSystem = messages.some((m) => roleOf(m) === "system");
      if (mode === "if_missing" && hasSystem) {
        yield item;
        continue;
      }
      const rest = mode === "replace" ? messages.filter((m) => roleOf(m) !== "system") : messages;
      yield withMessages(item, [{ ...system }, ...rest]);
    }
  };
}

function withMessages(item: DataItem, messages: unknown[]): DataItem {
  const value = item.value as Record<string, unknown>;
  if (Array.isArray(value.messages)) return { ...item, value: { ...value, messages } };
  const input = value.input as Record<string, unknown>;
  return { ...item, value: { ...value, input: { ...input, messages } } };
}

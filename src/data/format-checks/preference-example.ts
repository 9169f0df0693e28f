import type { ExampleProblem, MessageList } from "./findings.js";
import { describeJson, isRecord } from "./json-kind.js";
import { checkMessage, messageList } from "./message.js";
import { checkToolFields } from "./tools-field.js";

/** Top-level keys of a DPO example (the `_output` spelling, not the Dec-2024 `_completion`). */
export const PREFERENCE_EXAMPLE_KEYS = ["input", "preferred_output", "non_preferred_output"] as const;
const INPUT_KEYS = ["messages", "tools", "parallel_tool_calls"] as const;

/**
 * Checks one preference (DPO) example: `input.messages` as chat messages (no assistant needed), and each output
 * list holding exactly one assistant message with text content (single-turn, text only).
 */
export function checkPreferenceExample(value: unknown, out: ExampleProblem[]): void {
  if (!isRecord(value)) {
    out.push({ code: "data-not-object", found: describeJson(value) });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!(PREFERENCE_EXAMPLE_KEYS as readonly string[]).includes(key)) {
      // The Dec-2024 spec's names: say what they are called now.
      const renamed = key === "preferred_completion" || key === "non_preferred_completion";
      out.push({
        code: "data-unknown-key",
        key,
        allowed: PREFERENCE_EXAMPLE_KEYS,
        ...(renamed ? { renamedTo: key.replace("_completion", "_output") } : {}),
      });
    }
  }
  checkInput(value.input, out);
  checkOutput(value, "preferred_output", out);
  checkOutput(value, "non_preferred_output", out);
}

function checkInput(input: unknown, out: ExampleProblem[]): void {
  if (input === undefined) {
    out.push({ code: "data-missing-key", key: "input" });
    return;
  }
  if (!isRecord(input)) {
    out.push({ code: "data-invalid-field", key: "input", expected: `an object with "messages"` });
    return;
  }
  for (const key of Object.keys(input)) {
    if (!(INPUT_KEYS as readonly string[]).includes(key)) {
      out.push({ code: "data-unknown-key", key: `input.${key}`, allowed: INPUT_KEYS.map((k) => `input.${k}`) });
    }
  }
  checkToolFields(input, "input.", out);
  const messages = messageList(input.messages, "input.messages", out);
  if (!messages) return;
  for (let i = 0; i < messages.length; i++) checkMessage(messages[i], { list: "input.messages", index: i + 1 }, out);
}

function checkOutput(example: Record<string, unknown>, key: MessageList & `${string}_output`, out: ExampleProblem[]) {
  const value = example[key];
  if (value === undefined) {
    out.push({ code: "data-missing-key", key });
    return;
  }
  if (!Array.isArray(value) || value.length !== 1) {
    out.push({
      code: "data-invalid-preference",
      key,
      reason: "must be an array holding exactly one assistant message",
    });
    return;
  }
  const role = checkMessage(value[0], { list: key, index: 1 }, out, ["assistant"]);
  const message = value[0] as Record<string, unknown>;
  if (role === "assistant" && message.content !== undefined && typeof message.content !== "string") {
    out.push({ code: "data-invalid-preference", key, reason: "only text content is supported" });
  }
}

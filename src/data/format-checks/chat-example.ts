import type { ExampleProblem } from "./findings.js";
import { describeJson, isRecord } from "./json-kind.js";
import { checkMessage, messageList } from "./message.js";
import { checkToolFields } from "./tools-field.js";

/** Top-level keys of a supervised example; anything else is rejected by the service. */
export const CHAT_EXAMPLE_KEYS = ["messages", "tools", "parallel_tool_calls", "functions"] as const;

/**
 * Checks one supervised chat example: the cookbook's categories extended with the tool role, tool calls,
 * content arrays, weights, top-level keys and special tokens. Appends problems to `out`.
 */
export function checkChatExample(value: unknown, out: ExampleProblem[]): void {
  if (!isRecord(value)) {
    out.push({ code: "data-not-object", found: describeJson(value) });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!(CHAT_EXAMPLE_KEYS as readonly string[]).includes(key)) {
      out.push({ code: "data-unknown-key", key, allowed: CHAT_EXAMPLE_KEYS });
    }
  }
  checkToolFields(value, "", out);
  const messages = messageList(value.messages, "messages", out);
  if (!messages) return;
  let assistants = 0;
  for (let i = 0; i < messages.length; i++) {
    if (checkMessage(messages[i], { list: "messages", index: i + 1 }, out) === "assistant") assistants++;
  }
  // Only claim "no assistant" when every message had a readable role; otherwise the role problem says it all.
  if (assistants === 0 && messages.every((m) => isRecord(m) && typeof m.role === "string")) {
    out.push({ code: "data-missing-assistant" });
  }
}

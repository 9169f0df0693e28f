import { checkContent } from "./content.js";
import type { ExampleProblem, MessageRef } from "./findings.js";
import { describeJson, isRecord } from "./json-kind.js";
import { checkFunctionCall, checkToolCalls } from "./tool-calls.js";

/** Roles of the supervised chat format. `function` is deprecated but still accepted. */
export const CHAT_ROLES = ["system", "user", "assistant", "tool", "function"] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** The keys each role may carry. The cookbook's single list is outdated (no tool role, no tool_calls). */
const ALLOWED_KEYS: Record<ChatRole, readonly string[]> = {
  system: ["role", "content", "name"],
  user: ["role", "content", "name"],
  assistant: ["role", "content", "name", "weight", "tool_calls", "function_call"],
  tool: ["role", "content", "tool_call_id"],
  function: ["role", "content", "name"],
};

function isChatRole(role: string): role is ChatRole {
  return (CHAT_ROLES as readonly string[]).includes(role);
}

/** An example's non-empty list of messages (`key` as problems name it), or undefined with the problem added. */
export function messageList(value: unknown, key: string, out: ExampleProblem[]): unknown[] | undefined {
  if (value === undefined) out.push({ code: "data-missing-key", key });
  else if (!Array.isArray(value) || value.length === 0)
    out.push({ code: "data-invalid-field", key, expected: "a non-empty array of messages" });
  else return value;
  return undefined;
}

/**
 * Checks one chat message. Returns its role when it has a valid one, so the caller can count assistant turns;
 * undefined otherwise. `roles` narrows the roles allowed in this list (DPO outputs are assistant-only).
 */
export function checkMessage(
  value: unknown,
  message: MessageRef,
  out: ExampleProblem[],
  roles: readonly ChatRole[] = CHAT_ROLES,
): ChatRole | undefined {
  if (!isRecord(value)) {
    out.push({ code: "data-invalid-message", message, found: describeJson(value) });
    return undefined;
  }
  const role = value.role;
  if (role === undefined) {
    out.push({ code: "data-missing-role", message });
    return undefined;
  }
  if (typeof role !== "string" || !isChatRole(role) || !roles.includes(role)) {
    out.push({ code: "data-invalid-role", message, role: String(role), allowed: roles });
    return undefined;
  }
  const allowed = ALLOWED_KEYS[role];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      if (key === "weight") out.push({ code: "data-invalid-weight", message, reason: "not-assistant" });
      else out.push({ code: "data-unknown-message-key", message, key, allowed });
    }
  }
  if (value.name !== undefined && typeof value.name !== "string") {
    out.push({ code: "data-invalid-content", message, reason: `"name" must be a string` });
  }
  const callsTools = role === "assistant" && (value.tool_calls !== undefined || value.function_call !== undefined);
  if (role === "assistant") checkAssistantExtras(value, message, out);
  if (role === "tool" && typeof value.tool_call_id !== "string") {
    out.push({ code: "data-missing-tool-call-id", message });
  }
  const content = value.content;
  // An assistant turn that calls tools may leave content out (or null); every other message needs content.
  if (content === undefined || content === null || content === "") {
    if (!callsTools) out.push({ code: "data-missing-content", message, role });
  } else {
    checkContent(content, role, message, out);
  }
  return role;
}

function checkAssistantExtras(value: Record<string, unknown>, message: MessageRef, out: ExampleProblem[]): void {
  if (value.weight !== undefined && value.weight !== 0 && value.weight !== 1) {
    out.push({ code: "data-invalid-weight", message, reason: "value" });
  }
  if (value.tool_calls !== undefined) checkToolCalls(value.tool_calls, message, out);
  if (value.function_call !== undefined) checkFunctionCall(value.function_call, message, out);
}

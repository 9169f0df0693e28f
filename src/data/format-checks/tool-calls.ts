import type { ExampleProblem, MessageRef } from "./findings.js";
import { isRecord } from "./json-kind.js";

/**
 * Checks an assistant's `tool_calls`: a non-empty array of `{id, type: "function", function: {name, arguments}}`
 * where `arguments` is a JSON string.
 */
export function checkToolCalls(value: unknown, message: MessageRef, out: ExampleProblem[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    out.push({ code: "data-invalid-tool-call", message, reason: `"tool_calls" must be a non-empty array` });
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const call = value[i];
    const n = i + 1;
    if (!isRecord(call)) {
      out.push({ code: "data-invalid-tool-call", message, reason: `tool call ${n} must be an object` });
      continue;
    }
    if (typeof call.id !== "string") {
      out.push({ code: "data-invalid-tool-call", message, reason: `tool call ${n} has no "id" string` });
    }
    if (call.type !== "function") {
      out.push({ code: "data-invalid-tool-call", message, reason: `tool call ${n} must have "type": "function"` });
    }
    const reason = functionProblem(call.function);
    if (reason !== undefined)
      out.push({ code: "data-invalid-tool-call", message, reason: `tool call ${n}: ${reason}` });
  }
}

/** Checks the deprecated `function_call: {name, arguments}`. */
export function checkFunctionCall(value: unknown, message: MessageRef, out: ExampleProblem[]): void {
  const reason = functionProblem(value);
  if (reason !== undefined) out.push({ code: "data-invalid-tool-call", message, reason: `function_call: ${reason}` });
}

function functionProblem(fn: unknown): string | undefined {
  if (!isRecord(fn)) return `"function" must be an object with "name" and "arguments"`;
  if (typeof fn.name !== "string" || fn.name === "") return `"name" must be a non-empty string`;
  if (typeof fn.arguments !== "string") return `"arguments" must be a JSON string`;
  try {
    JSON.parse(fn.arguments);
  } catch {
    return `"arguments" is not valid JSON`;
  }
  return undefined;
}

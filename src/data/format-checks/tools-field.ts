import type { ExampleProblem } from "./findings.js";
import { isRecord } from "./json-kind.js";

/**
 * Checks the optional tool definitions that may accompany the messages: `tools` (function definitions),
 * `parallel_tool_calls` and the deprecated `functions` (1-128 entries). `prefix` is "" or "input." for DPO.
 */
export function checkToolFields(example: Record<string, unknown>, prefix: string, out: ExampleProblem[]): void {
  const tools = example.tools;
  if (tools !== undefined && !(Array.isArray(tools) && tools.every(isToolDefinition))) {
    out.push({
      code: "data-invalid-field",
      key: `${prefix}tools`,
      expected: `an array of {"type": "function", "function": {"name": ...}} definitions`,
    });
  }
  if (example.parallel_tool_calls !== undefined && typeof example.parallel_tool_calls !== "boolean") {
    out.push({ code: "data-invalid-field", key: `${prefix}parallel_tool_calls`, expected: "a boolean" });
  }
  const functions = example.functions;
  if (
    functions !== undefined &&
    !(Array.isArray(functions) && functions.length >= 1 && functions.length <= 128 && functions.every(hasName))
  ) {
    out.push({
      code: "data-invalid-field",
      key: `${prefix}functions`,
      expected: `an array of 1 to 128 function definitions with a "name"`,
    });
  }
}

function hasName(value: unknown): boolean {
  return isRecord(value) && typeof value.name === "string" && value.name !== "";
}

function isToolDefinition(value: unknown): boolean {
  return isRecord(value) && value.type === "function" && hasName(value.function);
}

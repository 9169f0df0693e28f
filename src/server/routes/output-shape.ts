import { badRequest } from "../http.js";
import { newId } from "../ids.js";
import { checkSchema, UnsupportedSchema } from "../trainer/constrained.js";
import type { JsonSchema } from "../trainer/types.js";

/**
 * What shape an answer must take: free text, JSON under a schema, or a call of one of the request's tools. JSON and
 * tool arguments come from the trainer's constrained decoder, so they always parse and validate.
 */
export type OutputShape =
  | { kind: "text" }
  | { kind: "json"; schema: JsonSchema }
  | { kind: "tool"; name: string; schema: JsonSchema };

/** `json_object`: any object will do; the model's answer goes under one key. */
const ANY_OBJECT: JsonSchema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };

function schemaOf(raw: unknown, param: string): JsonSchema {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw badRequest(`Invalid '${param}': expected a JSON Schema object.`, param);
  const schema = raw as JsonSchema;
  try {
    checkSchema(schema);
  } catch (err) {
    if (err instanceof UnsupportedSchema)
      throw badRequest(`Invalid schema for '${param}': ${err.message}.`, param, "invalid_value");
    throw err;
  }
  return schema;
}

/** `response_format` of chat completions: text (default), json_object, or json_schema with its schema. */
export function responseFormatShape(raw: unknown, param = "response_format"): OutputShape {
  if (raw === undefined || raw === null) return { kind: "text" };
  const format = raw as { type?: unknown; json_schema?: { schema?: unknown }; schema?: unknown };
  switch (format.type) {
    case "text":
      return { kind: "text" };
    case "json_object":
      return { kind: "json", schema: ANY_OBJECT };
    case "json_schema":
      // Chat nests it under json_schema; Responses' text.format has it at the top level.
      return {
        kind: "json",
        schema: schemaOf(format.json_schema?.schema ?? format.schema, `${param}.json_schema.schema`),
      };
    default:
      throw badRequest(
        `Invalid value for '${param}.type': expected 'text', 'json_object' or 'json_schema'.`,
        `${param}.type`,
        "invalid_value",
      );
  }
}

/**
 * `tools` with `tool_choice`: `required` calls the first tool, a named function calls that one, `auto` (the
 * default) and `none` answer in text (the tiny model has no learned reason to call a tool).
 */
export function toolShape(rawTools: unknown, rawChoice: unknown, fallback: OutputShape): OutputShape {
  if (rawTools === undefined || rawTools === null) return fallback;
  if (!Array.isArray(rawTools)) throw badRequest("Invalid type for 'tools': expected an array.", "tools");
  const tools: { name: string; parameters: JsonSchema }[] = rawTools.map((t: unknown, i) => {
    const fn = (t as { type?: unknown; function?: { name?: unknown; parameters?: unknown } })?.function;
    if ((t as { type?: unknown })?.type !== "function" || typeof fn?.name !== "string") {
      throw badRequest(
        `Invalid 'tools[${i}]': expected {type: 'function', function: {name, parameters}}.`,
        `tools[${i}]`,
      );
    }
    const parameters =
      fn.parameters === undefined
        ? { type: "object", properties: {} }
        : schemaOf(fn.parameters, `tools[${i}].function.parameters`);
    return { name: fn.name, parameters };
  });
  const choice = rawChoice ?? "auto";
  if (choice === "auto" || choice === "none") return fallback;
  const named = (choice as { function?: { name?: unknown } })?.function?.name;
  const tool = choice === "required" ? tools[0] : tools.find((t) => t.name === named);
  if (!tool)
    throw badRequest("Invalid 'tool_choice': it names no tool of the request.", "tool_choice", "invalid_value");
  return { kind: "tool", name: tool.name, schema: tool.parameters };
}

/** The assistant message of a chat completion for an answer of this shape. */
export function assistantMessage(shape: OutputShape, text: string): Record<string, unknown> {
  if (shape.kind !== "tool") return { role: "assistant", content: text, refusal: null, annotations: [] };
  return {
    role: "assistant",
    content: null,
    refusal: null,
    annotations: [],
    tool_calls: [{ id: newId.toolCall(), type: "function", function: { name: shape.name, arguments: text } }],
  };
}

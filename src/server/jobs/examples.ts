import type { TrainingMethod } from "../../core/catalog/models.js";
import type { ChatMessage, TrainingExample } from "../trainer/types.js";

/**
 * Converts validated examples (JSON as written in the file) into the trainer's text-only form. A DPO example becomes
 * the input with the preferred answer and, as `rejected`, the input with the non-preferred one.
 * Non-text content (tool calls, image parts) becomes its JSON text so nothing the user wrote is silently dropped.
 */
export function toTrainingExample(raw: unknown, method: TrainingMethod): TrainingExample {
  const example = raw as Record<string, unknown>;
  switch (method) {
    case "supervised":
      return { messages: asMessages(example.messages) };
    case "dpo": {
      const input = example.input as Record<string, unknown> | undefined;
      const prompt = asMessages(input?.messages);
      return {
        messages: [...prompt, ...asMessages(example.preferred_output)],
        rejected: [...prompt, ...asMessages(example.non_preferred_output)],
      };
    }
  }
}

function asMessages(list: unknown): ChatMessage[] {
  if (!Array.isArray(list)) return [];
  return list.map((m: Record<string, unknown>) => {
    const message: ChatMessage = { role: m.role as ChatMessage["role"], content: contentText(m) };
    if (m.weight === 0 || m.weight === 1) message.weight = m.weight;
    return message;
  });
}

/** Text of a message's content: a string, the text parts of a content array, or the JSON of a tool call. */
export function contentText(message: Record<string, unknown>): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: Record<string, unknown>) => (part?.type === "text" && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  if (message.tool_calls !== undefined) return JSON.stringify(message.tool_calls);
  if (message.function_call !== undefined) return JSON.stringify(message.function_call);
  return "";
}

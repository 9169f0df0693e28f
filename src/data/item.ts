/** One example (or, before a template maps it, one raw row) flowing through the transforms, with its origin. */
export interface DataItem {
  value: unknown;
  /** Source file as displayed in messages (relative to the working directory). */
  file: string;
  /** 1-based line where it starts in the source file. */
  line: number;
}

/** The messages of a supervised example, or the input messages of a DPO one; undefined when absent or malformed. */
export function messagesOf(value: unknown): unknown[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.messages)) return record.messages;
  const input = record.input as Record<string, unknown> | undefined;
  if (typeof input === "object" && input !== null && Array.isArray(input.messages)) return input.messages;
  return undefined;
}

/** Every message of an example, DPO outputs included. */
export function allMessagesOf(value: unknown): unknown[] {
  const messages = messagesOf(value) ?? [];
  if (typeof value !== "object" || value === null) return messages;
  const record = value as Record<string, unknown>;
  const outputs = [record.preferred_output, record.non_preferred_output].filter(Array.isArray).flat();
  return outputs.length === 0 ? messages : [...messages, ...outputs];
}

/** The text of a message's content: the string, or its text parts joined by newlines. */
export function textOf(message: unknown): string {
  if (typeof message !== "object" || message === null) return "";
  const content = (message as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (p && typeof p === "object" && typeof p.text === "string" ? (p.text as string) : ""))
    .join("\n");
}

export function roleOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const role = (message as { role?: unknown }).role;
  return typeof role === "string" ? role : undefined;
}

import type { ExampleProblem, MessageRef } from "./findings.js";
import { describeJson, isRecord } from "./json-kind.js";
import { findSpecialToken } from "./special-tokens.js";

/**
 * Checks a message's `content` when it is present: a string, or an array of content parts.
 * Text parts are allowed everywhere; image parts only in user messages; audio and file parts are not supported for
 * fine-tuning at all. Also looks for special tokens in every piece of text.
 */
export function checkContent(content: unknown, role: string, message: MessageRef, out: ExampleProblem[]): void {
  if (typeof content === "string") {
    checkText(content, message, out);
    return;
  }
  if (!Array.isArray(content)) {
    invalid(out, message, `content must be a string or an array of content parts, found ${describeJson(content)}`);
    return;
  }
  if (content.length === 0) {
    out.push({ code: "data-missing-content", message, role });
    return;
  }
  for (let i = 0; i < content.length; i++) checkPart(content[i], i + 1, role, message, out);
}

function checkPart(part: unknown, n: number, role: string, message: MessageRef, out: ExampleProblem[]): void {
  if (!isRecord(part)) {
    invalid(out, message, `content part ${n} must be an object`);
    return;
  }
  const type = part.type;
  switch (type) {
    case "text":
      if (typeof part.text !== "string") {
        invalid(out, message, `content part ${n} has no "text" string`);
      } else {
        checkText(part.text, message, out);
      }
      return;
    case "image_url": {
      if (role !== "user") {
        invalid(out, message, `images are only allowed in user messages`);
        return;
      }
      const image = part.image_url;
      if (!isRecord(image) || typeof image.url !== "string") {
        invalid(out, message, `content part ${n} has no "image_url.url" string`);
      }
      return;
    }
    case "input_audio":
    case "file":
      invalid(out, message, `content part ${n}: ${type} parts are not supported for fine-tuning`);
      return;
    default:
      invalid(
        out,
        message,
        `content part ${n} has unknown type ${typeof type === "string" ? `"${type}"` : describeJson(type)}`,
      );
  }
}

function checkText(text: string, message: MessageRef, out: ExampleProblem[]): void {
  const token = findSpecialToken(text);
  if (token !== undefined) out.push({ code: "data-invalid-special-token", message, token });
}

function invalid(out: ExampleProblem[], message: MessageRef, reason: string): void {
  out.push({ code: "data-invalid-content", message, reason });
}

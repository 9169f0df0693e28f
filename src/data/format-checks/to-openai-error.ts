import type { DataFinding, ExampleFinding } from "./findings.js";
import { where } from "./to-diagnostic.js";

/** The `error` object of a failed fine-tuning job, as the service reports it. */
export interface JobFileError {
  code: "invalid_n_examples" | "invalid_file_format" | "invalid_training_file";
  message: string;
  param: "training_file" | "validation_file";
}

export type FilePurpose = "training" | "validation";

/**
 * A finding in the words of the real service, e.g. "The job failed due to a file format error in the training
 * file. Invalid file format. Example 1 contains an extra "weight"." The phrasing of each detail follows the
 * messages seen in the wild where one is known, and that style elsewhere.
 */
export function findingToJobError(finding: DataFinding, purpose: FilePurpose): JobFileError {
  const param = purpose === "training" ? "training_file" : "validation_file";
  if (finding.code === "data-too-few-examples") {
    const which = purpose === "training" ? "Training" : "Validation";
    return {
      code: "invalid_n_examples",
      message: `${which} file has ${finding.examples} example(s), but must have at least ${finding.minimum} examples`,
      param,
    };
  }
  if (finding.code === "data-missing-role") {
    return {
      code: "invalid_training_file",
      message: `The job failed due to an invalid ${purpose} file. Invalid file format. Example ${finding.example}, message ${finding.message.index} Discriminator 'role' is missing in value`,
      param,
    };
  }
  return {
    code: "invalid_file_format",
    message: `The job failed due to a file format error in the ${purpose} file. Invalid file format. ${detail(finding)}`,
    param,
  };
}

function detail(f: ExampleFinding): string {
  const ex = `Example ${f.example}`;
  switch (f.code) {
    case "data-invalid-json":
      return `${ex} is not valid JSON.`;
    case "data-not-object":
      return `${ex} is not a JSON object.`;
    case "data-missing-key":
      return `${ex} is missing key '${f.key}'.`;
    case "data-unknown-key":
      return `${ex} contains an extra "${f.key}".`;
    case "data-invalid-field":
      return `${ex} has an invalid "${f.key}": expected ${f.expected}.`;
    case "data-invalid-message":
      return `${ex}, ${where(f.message)} is not an object.`;
    case "data-missing-role":
      return `${ex}, ${where(f.message)} Discriminator 'role' is missing in value`;
    case "data-invalid-role":
      return `${ex}, ${where(f.message)} has an invalid role '${f.role}'.`;
    case "data-unknown-message-key":
      return `${ex}, ${where(f.message)} contains an extra "${f.key}".`;
    case "data-missing-content":
      return `${ex}, ${where(f.message)} is missing content.`;
    case "data-invalid-content":
      return `${ex}, ${where(f.message)} has invalid content: ${f.reason}.`;
    case "data-invalid-weight":
      return f.reason === "value"
        ? `${ex}, ${where(f.message)} has an invalid weight; it must be 0 or 1.`
        : `${ex}, ${where(f.message)} contains an extra "weight".`;
    case "data-invalid-tool-call":
      return `${ex}, ${where(f.message)} has an invalid tool call: ${f.reason}.`;
    case "data-missing-tool-call-id":
      return `${ex}, ${where(f.message)} is missing key 'tool_call_id'.`;
    case "data-missing-assistant":
      return `${ex} has no assistant message.`;
    case "data-invalid-special-token":
      return `${ex} message contains an invalid token: ${f.token}`;
    case "data-invalid-preference":
      return `${ex} has an invalid "${f.key}": it ${f.reason}.`;
    case "data-over-token-limit":
      return `${ex} has ${f.tokens} tokens, over the limit of ${f.limit}.`;
    default: {
      const never: never = f;
      throw new Error(`unhandled finding ${JSON.stringify(never)}`);
    }
  }
}

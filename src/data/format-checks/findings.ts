/**
 * What the data checks find, as values. One finding names the example (1-based, in the order the examples are
 * written to the prepared or uploaded file), the source file and line it came from, and a stable code. The two
 * renderings (tunefile diagnostics, OpenAI job errors) are separate functions over this one union, so the prepare
 * stage and the local provider report the same problems.
 */

/** Where an example came from. `file` is as the user should see it (relative to the working directory). */
export interface ExampleLocation {
  /** 1-based position of the example in its output file (what the fine-tuning service calls "Example N"). */
  example: number;
  file: string;
  /** 1-based line of the example in its source file. */
  line: number;
}

/** Which list of messages a message sits in: `messages` (supervised) or one of the DPO lists. */
export type MessageList = "messages" | "input.messages" | "preferred_output" | "non_preferred_output";

/** A message inside an example: its list and 1-based index there. */
export interface MessageRef {
  list: MessageList;
  index: number;
}

/** The problems one example can have. Every variant but the token limit is an error. */
export type ExampleProblem =
  | { code: "data-invalid-json"; detail: string }
  | { code: "data-not-object"; found: string }
  | { code: "data-missing-key"; key: string }
  | { code: "data-unknown-key"; key: string; allowed: readonly string[]; renamedTo?: string }
  | { code: "data-invalid-field"; key: string; expected: string }
  | { code: "data-invalid-message"; message: MessageRef; found: string }
  | { code: "data-missing-role"; message: MessageRef }
  | { code: "data-invalid-role"; message: MessageRef; role: string; allowed: readonly string[] }
  | { code: "data-unknown-message-key"; message: MessageRef; key: string; allowed: readonly string[] }
  | { code: "data-missing-content"; message: MessageRef; role: string }
  | { code: "data-invalid-content"; message: MessageRef; reason: string }
  | { code: "data-invalid-weight"; message: MessageRef; reason: "not-assistant" | "value" }
  | { code: "data-invalid-tool-call"; message: MessageRef; reason: string }
  | { code: "data-missing-tool-call-id"; message: MessageRef }
  | { code: "data-missing-assistant" }
  | { code: "data-invalid-special-token"; message: MessageRef; token: string }
  | { code: "data-invalid-preference"; key: string; reason: string }
  | { code: "data-over-token-limit"; tokens: number; limit: number };

export type ExampleFinding = ExampleLocation & ExampleProblem;

/** Problems of a whole file rather than one example. */
export type FileFinding = { code: "data-too-few-examples"; file: string; examples: number; minimum: number };

export type DataFinding = ExampleFinding | FileFinding;

/** The service truncates long examples instead of rejecting them, so the token limit is only a warning. */
export function findingSeverity(finding: DataFinding): "error" | "warning" {
  return finding.code === "data-over-token-limit" ? "warning" : "error";
}

/** The fewest examples a training file may have (fewer fails with invalid_n_examples). */
export const MIN_TRAINING_EXAMPLES = 10;

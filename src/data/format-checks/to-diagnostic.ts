import { suggestionHint } from "../../core/did-you-mean.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { type DataFinding, type ExampleProblem, findingSeverity, type MessageRef } from "./findings.js";

/**
 * A finding as a tunefile diagnostic: `path:line:1 error[data-unknown-key] ...`, located at the example's source
 * line. The example number is left out: after shuffling it means little to the person fixing the source file.
 */
export function findingToDiagnostic(finding: DataFinding): Diagnostic {
  const severity = findingSeverity(finding);
  if (finding.code === "data-too-few-examples") {
    return {
      severity,
      code: finding.code,
      message: `the training data (${finding.file}) has ${finding.examples} example(s), but fine-tuning needs at least ${finding.minimum}`,
      hint: "50 to 100 examples are recommended to see an improvement",
    };
  }
  const { message, hint } = describe(finding);
  const span = { file: finding.file, line: finding.line, col: 1 };
  return hint === undefined
    ? { severity, code: finding.code, message, span }
    : { severity, code: finding.code, message, span, hint };
}

/** How a message is named: "message 2", "preferred_output message 1". */
export function where(m: MessageRef): string {
  return m.list === "messages" ? `message ${m.index}` : `${m.list} message ${m.index}`;
}

function describe(p: ExampleProblem): { message: string; hint?: string } {
  switch (p.code) {
    case "data-invalid-json":
      return { message: `not valid JSON: ${p.detail}` };
    case "data-not-object":
      return { message: `an example must be a JSON object, found ${p.found}` };
    case "data-missing-key":
      return { message: `missing key \`${p.key}\`` };
    case "data-unknown-key":
      return {
        message: `unknown top-level key \`${p.key}\``,
        hint:
          p.renamedTo !== undefined
            ? `\`${p.key}\` is the Dec-2024 name; the service expects \`${p.renamedTo}\``
            : suggestionHint(p.key, p.allowed),
      };
    case "data-invalid-field":
      return { message: `\`${p.key}\` must be ${p.expected}` };
    case "data-invalid-message":
      return { message: `${where(p.message)} must be an object, found ${p.found}` };
    case "data-missing-role":
      return { message: `${where(p.message)} has no \`role\`` };
    case "data-invalid-role":
      return {
        message: `${where(p.message)} has role \`${p.role}\`, which is not allowed here`,
        hint: suggestionHint(p.role, p.allowed, "allowed roles"),
      };
    case "data-unknown-message-key":
      return {
        message: `${where(p.message)} has unknown key \`${p.key}\``,
        hint: suggestionHint(p.key, p.allowed, `allowed keys for this role`),
      };
    case "data-missing-content":
      return { message: `${where(p.message)} (${p.role}) has no content` };
    case "data-invalid-content":
      return { message: `${where(p.message)}: ${p.reason}` };
    case "data-invalid-weight":
      return p.reason === "value"
        ? { message: `${where(p.message)}: \`weight\` must be 0 or 1` }
        : { message: `${where(p.message)}: \`weight\` is only allowed on assistant messages` };
    case "data-invalid-tool-call":
      return { message: `${where(p.message)}: ${p.reason}` };
    case "data-missing-tool-call-id":
      return { message: `${where(p.message)} (tool) has no \`tool_call_id\`` };
    case "data-missing-assistant":
      return { message: "the example has no assistant message to learn from" };
    case "data-invalid-special-token":
      return {
        message: `${where(p.message)} contains the special token \`${p.token}\`, which the service rejects`,
        hint: `remove it or break it up, e.g. \`${p.token.replace("<|", "<| ").replace("|>", " |>")}\``,
      };
    case "data-invalid-preference":
      return { message: `\`${p.key}\` ${p.reason}` };
    case "data-over-token-limit":
      return {
        message: `the example has ${p.tokens} tokens, over the model's limit of ${p.limit}; the service truncates it`,
      };
    default: {
      const never: never = p;
      throw new Error(`unhandled finding ${JSON.stringify(never)}`);
    }
  }
}

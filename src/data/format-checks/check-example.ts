import type { TrainingMethod } from "../../core/catalog/models.js";
import type { ExampleTokens } from "../tokens.js";
import { checkChatExample } from "./chat-example.js";
import type { ExampleFinding, ExampleLocation, ExampleProblem } from "./findings.js";
import { checkPreferenceExample } from "./preference-example.js";

const NO_PROBLEMS: readonly ExampleProblem[] = Object.freeze([]);
const NO_FINDINGS: readonly ExampleFinding[] = Object.freeze([]);

/** Every format problem of one parsed example for the training method (a shared empty array when there are none). */
export function checkExample(value: unknown, method: TrainingMethod): readonly ExampleProblem[] {
  const out: ExampleProblem[] = [];
  switch (method) {
    case "supervised":
      checkChatExample(value, out);
      break;
    case "dpo":
      checkPreferenceExample(value, out);
      break;
    default: {
      const never: never = method;
      throw new Error(`unknown training method ${String(never)}`);
    }
  }
  return out.length === 0 ? NO_PROBLEMS : out;
}

/** The located findings of an example from its format problems and token count (the token-limit warning). */
export function locateFindings(
  problems: readonly ExampleProblem[],
  location: ExampleLocation,
  tokens: ExampleTokens,
  maxTokensPerExample: number,
): readonly ExampleFinding[] {
  const over = tokens.total > maxTokensPerExample;
  if (problems.length === 0 && !over) return NO_FINDINGS;
  const findings: ExampleFinding[] = problems.map((p) => ({ ...location, ...p }));
  if (over)
    findings.push({ ...location, code: "data-over-token-limit", tokens: tokens.total, limit: maxTokensPerExample });
  return findings;
}

import type { TrainingMethod } from "../../core/catalog/models.js";
import { checkChatExample } from "./chat-example.js";
import type { ExampleProblem } from "./findings.js";
import { checkPreferenceExample } from "./preference-example.js";

const NONE: readonly ExampleProblem[] = Object.freeze([]);

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
  return out.length === 0 ? NONE : out;
}

/** The data format checks: one set of rules, rendered as tunefile diagnostics or as OpenAI job errors. */
export { CHAT_EXAMPLE_KEYS } from "./chat-example.js";
export { checkExample } from "./check-example.js";
export {
  type DataFinding,
  type DataFindingCode,
  type ExampleFinding,
  type ExampleLocation,
  type ExampleProblem,
  type FileFinding,
  findingSeverity,
  MIN_TRAINING_EXAMPLES,
} from "./findings.js";
export { type InspectedExample, type InspectOptions, inspectExample, locateFindings } from "./inspect-example.js";
export { CHAT_ROLES } from "./message.js";
export { PREFERENCE_EXAMPLE_KEYS } from "./preference-example.js";
export { findSpecialToken, SPECIAL_TOKENS } from "./special-tokens.js";
export { findingToDiagnostic } from "./to-diagnostic.js";
export { type FilePurpose, findingToJobError, type JobFileError } from "./to-openai-error.js";

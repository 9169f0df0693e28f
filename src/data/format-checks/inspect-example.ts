import type { TrainingMethod } from "../../core/catalog/models.js";
import { countExampleTokens, type ExampleTokens, type TokenCounter } from "../tokens.js";
import { checkExample } from "./check-example.js";
import type { ExampleFinding, ExampleLocation, ExampleProblem } from "./findings.js";

/** What the per-example pass needs to know. */
export interface InspectOptions {
  method: TrainingMethod;
  counter: TokenCounter;
  /** The model's training context per example; longer examples get a warning (the service truncates them). */
  maxTokensPerExample: number;
}

export interface InspectedExample {
  /** Format problems and the token-limit warning, located. Empty for a good example. */
  findings: readonly ExampleFinding[];
  tokens: ExampleTokens;
}

const NONE: readonly ExampleFinding[] = Object.freeze([]);

/**
 * The one per-example pass shared by the prepare stage (via the dataset analysis) and the local provider's file
 * validation: format checks, token counts and the token-limit warning.
 */
export function inspectExample(value: unknown, location: ExampleLocation, options: InspectOptions): InspectedExample {
  const tokens = countExampleTokens(value, options.method, options.counter);
  return {
    findings: locateFindings(checkExample(value, options.method), location, tokens, options.maxTokensPerExample),
    tokens,
  };
}

/**
 * The located findings of an example from its format problems and token count (the token-limit warning). Used
 * directly when the tokens were counted elsewhere (a worker thread).
 */
export function locateFindings(
  problems: readonly ExampleProblem[],
  location: ExampleLocation,
  tokens: ExampleTokens,
  maxTokensPerExample: number,
): readonly ExampleFinding[] {
  const over = tokens.total > maxTokensPerExample;
  if (problems.length === 0 && !over) return NONE;
  const findings: ExampleFinding[] = problems.map((p) => ({ ...location, ...p }));
  if (over)
    findings.push({ ...location, code: "data-over-token-limit", tokens: tokens.total, limit: maxTokensPerExample });
  return findings;
}

import { isRecord } from "./context.js";

/**
 * A configured candidate as the rules and the pre-training checks see it before anything runs: its label and kind,
 * as src/eval/candidates.ts resolves them (that code needs a valid pipeline and the train stage's outputs; the rules
 * run on the raw value).
 */
export interface ConfiguredCandidate {
  label: string;
  kind: "base" | "fine_tuned" | "checkpoint" | "few_shot" | "model";
  /** A `{model, provider}` candidate answers on another provider than the pipeline's. */
  elsewhere?: boolean;
  /** A `{model}` candidate's model. */
  model?: string;
}

/** What `evaluation.candidates` is when the pipeline does not say. */
export const DEFAULT_CANDIDATES: readonly ["base", "fine_tuned"] = ["base", "fine_tuned"];

/** `evaluation.candidates` read defensively from the raw value; undefined when it is not a list. */
export function candidateShapes(candidates: unknown = DEFAULT_CANDIDATES): ConfiguredCandidate[] | undefined {
  if (!Array.isArray(candidates)) return undefined;
  return candidates.flatMap((c): ConfiguredCandidate[] => {
    if (c === "base") return [{ label: "base", kind: "base" }];
    if (c === "fine_tuned") return [{ label: "fine_tuned", kind: "fine_tuned" }];
    // Checkpoint labels (checkpoint:step-N) are known only once training has run.
    if (c === "checkpoints") return [{ label: "checkpoint:step-<N>", kind: "checkpoint" }];
    if (!isRecord(c)) return [];
    if (typeof c.few_shot === "number") return [{ label: `few_shot:${c.few_shot}`, kind: "few_shot" }];
    if (typeof c.fine_tuned === "string") return [{ label: "fine_tuned", kind: "fine_tuned" }];
    if (typeof c.model === "string") {
      const label = typeof c.label === "string" ? c.label : c.model;
      return [{ label, kind: "model", model: c.model, ...(c.provider !== undefined ? { elsewhere: true } : {}) }];
    }
    return [];
  });
}

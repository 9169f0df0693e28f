import { formatUsd } from "../core/format-usd.js";

/** Keys worth a glance, in the order a reader wants them; anything else stays in the lockfile. */
const KEY_OUTPUTS = [
  "job_id",
  "fine_tuned_model",
  "trained_tokens",
  "train_file_id",
  "validation_file_id",
  "deploy_model",
  "alias",
  "model",
  "estimated_cost_usd",
  "actual_cost_usd",
] as const;

/**
 * A one-line summary of a stage's outputs for the task list and `status`: the well-known ids and numbers, example
 * counts, pass rates and the gate, e.g. "job_id ftjob-1, fine_tuned_model ft:gpt-4o-mini:elle". Empty when none.
 */
export function summarizeOutputs(outputs: Record<string, unknown> | undefined): string {
  if (!outputs) return "";
  const parts: string[] = [];
  for (const set of ["train", "validation"]) {
    const examples = (outputs[set] as { examples?: unknown } | undefined)?.examples;
    if (typeof examples === "number") parts.push(`${examples} ${set} examples`);
  }
  for (const key of KEY_OUTPUTS) {
    const value = outputs[key];
    if (typeof value === "string" && value !== "") parts.push(`${key} ${value}`);
    else if (typeof value === "number") parts.push(`${key} ${key.endsWith("_usd") ? formatUsd(value) : value}`);
  }
  const candidates = outputs.candidates;
  if (Array.isArray(candidates)) {
    const rates = candidates
      .map((c) => c as { label?: unknown; pass_rate?: unknown })
      .filter((c) => typeof c.label === "string" && typeof c.pass_rate === "number")
      .map((c) => `${c.label} ${Math.round((c.pass_rate as number) * 100)}%`);
    if (rates.length > 0) parts.push(`pass rates: ${rates.join(", ")}`);
  }
  const gate = (outputs.gate as { status?: unknown } | undefined)?.status;
  if (typeof gate === "string" && gate !== "none") parts.push(`gate ${gate}`);
  return parts.join(", ");
}

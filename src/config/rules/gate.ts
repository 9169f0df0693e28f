import { didYouMean } from "../../core/did-you-mean.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { type ConfiguredCandidate, candidateShapes } from "./candidates.js";
import { at, isRecord, type Rule } from "./context.js";

/**
 * The candidate a gate name picks, as findCandidate does: a label, or a kind exactly one candidate has. `checkpoints`
 * stands for every retained checkpoint, usually several, so the kind `checkpoint` never picks one.
 */
function find(named: ConfiguredCandidate[], name: string): ConfiguredCandidate | undefined {
  const byLabel = named.find(
    (n) => n.label === name || (n.label === "checkpoint:step-<N>" && name.startsWith("checkpoint:")),
  );
  if (byLabel) return byLabel;
  const byKind = named.filter((n) => n.kind === name && n.kind !== "checkpoint");
  return byKind.length === 1 ? byKind[0] : undefined;
}

/**
 * `gate-without-condition` (a warning): a gate with neither `min_pass_rate` nor `must_beat` decides nothing.
 *
 * `unknown-gate-candidate`: `gate.candidate` or `gate.must_beat` names no evaluated candidate, which would fail the
 * gate only after training. `undeployable-gate-candidate`: with `deploy`, a gate candidate whose model is not what
 * was evaluated: a few-shot candidate is the base model with examples in every prompt (deploy would ship the bare
 * base model), and a `{model, provider}` candidate answers on another provider than the alias is recorded for.
 */
export const gateRule: Rule = async ({ value, locate }) => {
  const gate = at(value, "evaluation", "gate");
  if (!isRecord(gate)) return [];
  if (gate.min_pass_rate === undefined && gate.must_beat === undefined) {
    return [
      {
        severity: "warning",
        code: "gate-without-condition",
        message: "the gate has no condition, so it never stops deploy",
        span: locate.span(["evaluation", "gate"], { atKey: true }),
        hint: "add `min_pass_rate` and/or `must_beat`, or remove `gate`",
      },
    ];
  }
  const named = candidateShapes(at(value, "evaluation", "candidates"));
  if (!named) return [];
  const labels = named.map((n) => n.label);
  const out: Diagnostic[] = [];
  for (const key of ["candidate", "must_beat"] as const) {
    const name = gate[key] ?? (key === "candidate" ? "fine_tuned" : undefined);
    if (typeof name !== "string" || find(named, name)) continue;
    const close = didYouMean(name, labels);
    out.push({
      severity: "error",
      code: "unknown-gate-candidate",
      message: `the gate's ${key === "candidate" ? "candidate" : "must_beat"} "${name}" is not among the evaluated candidates (${labels.join(", ")})`,
      span:
        gate[key] === undefined
          ? locate.span(["evaluation", "gate"], { atKey: true })
          : locate.span(["evaluation", "gate", key]),
      hint: close
        ? `did you mean "${close}"?`
        : "name a candidate's label, or add the candidate to evaluation.candidates",
    });
  }
  const shipped = find(named, typeof gate.candidate === "string" ? gate.candidate : "fine_tuned");
  if (at(value, "deploy") !== undefined && shipped && (shipped.kind === "few_shot" || shipped.elsewhere)) {
    out.push({
      severity: "error",
      code: "undeployable-gate-candidate",
      message:
        shipped.kind === "few_shot"
          ? `the gate's candidate ${shipped.label} cannot be deployed: it is the base model with training examples in every prompt, and deploy would ship the bare base model`
          : `the gate's candidate ${shipped.label} answers on another provider than the one deploy records the alias for`,
      span: locate.span(["evaluation", "gate", "candidate"]),
      hint: "gate on fine_tuned, a checkpoint or a model on the pipeline's provider, or remove `deploy`",
    });
  }
  return out;
};

/**
 * The sentences and rows every report shares about how far its evidence goes (who answered, held-out prompts, prices,
 * training). Plain text here; report.md, report.html and the terminal summary only lay it out.
 */
import { describeProvenance } from "../core/catalog/prices.js";
import type { EvalResults, TrainingOverlap } from "../eval/types.js";
import { keyValues, metric, usd } from "./format.js";
import type { TrainingFacts } from "./training-facts.js";

export const LOCAL_PROVIDER_NOTE =
  "Results from tunefile's built-in local provider: a tiny CPU model, not the named model; use them to test the pipeline, not to judge the model.";

/** The local-provider label, when these results came from it. */
export function providerNote(results: EvalResults): string | undefined {
  return results.provider.kind === "local" ? LOCAL_PROVIDER_NOTE : undefined;
}

/** How the held-out check compares: said once, wherever the result is shown. */
const COMPARED = "compared as rendered with every training user message, exactly and ignoring case and whitespace";

/** One sentence: how many evaluation prompts appear in the training data (undefined for results without the check). */
export function overlapSentence(overlap: TrainingOverlap | undefined): string | undefined {
  if (!overlap) return undefined;
  if (overlap.examples === 0) {
    return `Not checked whether the ${overlap.prompts} evaluation prompts appear in the training data: it has no chat messages to compare with.`;
  }
  const n = overlap.matches.length;
  // "appear in the training data" stays verbatim in every form, so that it can be searched for.
  const head = `${n} of ${overlap.prompts} evaluation prompts appear in the training data (${COMPARED})`;
  if (n === 0) return `Held out: ${head}.`;
  return `Warning: ${head}. Their results show recall of training examples, not how the model does on new questions:`;
}

/** One line per overlapping prompt: its id, how it matched, and where in the training data. */
export function overlapItems(overlap: TrainingOverlap | undefined): string[] {
  return (overlap?.matches ?? []).map(
    (m) =>
      `${m.prompt}: ${m.match === "exact" ? "exact match" : "same text ignoring case and whitespace"}, ${m.training.file}:${m.training.line}`,
  );
}

/**
 * One warning per candidate and way an answer can stop short: at the token limit (`finish_reason: length`) or at
 * the provider's content filter (`content_filter`, e.g. Azure's). The graders judged what came, so those fails may
 * say more about `max_tokens` or the filter than about the model.
 */
export function answerWarnings(results: EvalResults): string[] {
  const limit = results.params.max_completion_tokens;
  return results.candidates.flatMap((c) => {
    const answered = results.cells.filter((cell) => cell.candidate === c.label && cell.output !== undefined);
    const count = (reason: string) => answered.filter((cell) => cell.finish_reason === reason).length;
    const of = (n: number) => `${c.label}: ${n} of ${answered.length} answers`;
    const out: string[] = [];
    const cut = count("length");
    if (cut > 0) {
      const at = typeof limit === "number" ? ` (${limit})` : "";
      out.push(
        `${of(cut)} stopped at the token limit${at} and were graded cut off; raise evaluation.params.max_tokens to grade whole answers`,
      );
    }
    const filtered = count("content_filter");
    if (filtered > 0) out.push(`${of(filtered)} were stopped by the provider's content filter and graded as they came`);
    return out;
  });
}

/** The prices table: one row per candidate with the rates it is charged at and where they come from. */
export function priceRows(results: EvalResults): string[][] {
  return results.summary.candidates.map((c) => {
    const p = c.price;
    if (!p) return [c.label, c.model, "—", "n/a", "n/a", "no known price for this model"];
    return [
      c.label,
      p.priced_as,
      p.rates === "base" ? "base model" : "fine-tuned",
      `$${p.input.toFixed(2)}`,
      `$${p.output.toFixed(2)}`,
      describeProvenance(p),
    ];
  });
}
export const PRICE_HEADER = ["Candidate", "Priced as", "Rates", "Input / 1M tokens", "Output / 1M tokens", "Source"];

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The training section as label/value rows; undefined for results from before it existed. */
export function trainingRows(facts: TrainingFacts | undefined): [string, string][] | undefined {
  if (!facts) return undefined;
  if (facts.status === "skipped") {
    return [
      [
        "Training",
        `skipped: the pipeline names an existing model (training.fine_tuned_model: ${facts.fine_tuned_model})`,
      ],
    ];
  }
  if (facts.status === "not_run") return [["Training", "did not run for this evaluation"]];
  const rows: [string, string][] = [
    ["Provider", `${facts.provider.kind} (${facts.provider.base_url})`],
    ["Job", facts.job_id],
    ["Base model", facts.base_model],
    ["Fine-tuned model", facts.fine_tuned_model],
    ["Hyperparameters", keyValues(facts.hyperparameters) || "not reported"],
    ["Trained tokens", facts.trained_tokens === null ? "not reported" : facts.trained_tokens.toLocaleString("en-US")],
  ];
  const price = facts.training_price;
  const actual =
    facts.actual_usd !== undefined && price && facts.trained_tokens !== null
      ? `${usd(facts.actual_usd)} (${facts.trained_tokens.toLocaleString("en-US")} trained tokens × $${price.per_1m.toFixed(2)} per 1M)`
      : "unknown";
  rows.push(["Training cost", `estimated ${usd(facts.estimated_usd)}, actual ${actual}`]);
  rows.push(["Training price", price ? describeProvenance(price) : "no known price for this model"]);
  if (facts.duration_seconds !== undefined) {
    const from = facts.duration_from === "job" ? "job created" : "train stage started";
    rows.push([
      "Duration",
      `${duration(facts.duration_seconds)} (${from} ${facts.started_at}, finished ${facts.finished_at})`,
    ]);
  }
  rows.push(["Checkpoints", facts.checkpoints.length === 0 ? "none retained" : String(facts.checkpoints.length)]);
  return rows;
}

/** One row per checkpoint: model, step, and the losses the service reported there. */
export function checkpointRows(facts: TrainingFacts | undefined): string[][] {
  if (facts?.status !== "trained") return [];
  const value = (m: Record<string, number>, ...keys: string[]) => {
    const k = keys.find((key) => m[key] !== undefined);
    return k ? metric(m[k]!) : "—";
  };
  return facts.checkpoints.map((c) => [
    c.model,
    String(c.step),
    value(c.metrics, "train_loss"),
    value(c.metrics, "full_valid_loss", "valid_loss"),
  ]);
}
export const CHECKPOINT_HEADER = ["Checkpoint", "Step", "Train loss", "Validation loss"];

/** The overfitting warnings, if the loss curves show any. */
export function lossWarnings(facts: TrainingFacts | undefined): string[] {
  return facts?.status === "trained" ? (facts.loss?.warnings ?? []) : [];
}

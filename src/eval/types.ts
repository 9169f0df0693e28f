/**
 * The vocabulary of an evaluation: candidates (who answers), prompts (what they are asked), grades (how each answer
 * did) and the recorded results from which every report is rendered. `results.json` holds exactly `EvalResults`.
 */
import type { AppliedInferencePrice } from "../core/catalog/prices.js";
import type { Grader as GraderConfig, ProviderKind, ProviderSettings } from "../core/pipeline.generated.js";
import type { StageError } from "../engine/stage-record.js";
import type { ProviderIdentity } from "../providers/provider.js";
import type { TrainingFacts } from "../report/training-facts.js";

/** A chat message sent to a candidate. */
export interface EvalMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export type CandidateKind = "base" | "fine_tuned" | "few_shot" | "checkpoint" | "model";

/** A model that answers every prompt, resolved from `evaluation.candidates`. */
export interface EvalCandidate {
  /** Unique name in reports and in `gate`: base, fine_tuned, few_shot:3, checkpoint:step-20, or the model's label. */
  label: string;
  kind: CandidateKind;
  model: string;
  /** few_shot only: the earlier turns put before every prompt (user/assistant pairs from the training data). */
  shots?: EvalMessage[];
  /** Azure: the evaluation deployment that served `model`, recorded in the results (the provider's `deploymentOf` routes to it). */
  deployment?: string;
  /** `{model}` candidates on another provider than the pipeline's: its settings, resolved with its own credentials. */
  provider?: ProviderKind | ProviderSettings;
}

/** One evaluation prompt after expansion (vars, dataset rows). */
export interface EvalPrompt {
  /** Stable id: the configured id or one derived from the text, plus the vars of this combination. */
  id: string;
  user: string;
  system?: string;
  /** The values substituted into this prompt's templates. */
  vars: Record<string, string>;
  reference?: string;
  /** Weight in pass rates. Default 1. */
  weight: number;
  /** The graders that apply (the evaluation's own plus the prompt's), in order. */
  graders: EvalGrader[];
}

/** A grader of one prompt: its config with `{{var}}` substituted, and the name of its template for per-grader rates. */
export interface EvalGrader {
  config: GraderConfig;
  /** The grader's name before substitution, e.g. `icontains "{{element}}"`: the same across a prompt's expansions. */
  group: string;
}

/** What a grader decides. */
export interface Verdict {
  pass: boolean;
  /** 0..1 where the grader has a degree (similarity, judge, custom). */
  score?: number;
  /** Why, in one line (a judge's reasoning is kept whole). */
  reason: string;
  /** True when the grader could not decide (unparsable judge answer, custom grader threw): never counts as a pass. */
  error?: boolean;
}

/** What a grader decided about one answer, as recorded. */
export interface GradeResult extends Verdict {
  /** A short name of the grader, e.g. `icontains "Neon"` or `lines 5..5`. */
  grader: string;
  /** The grader's template name (see EvalGrader.group), which per-grader pass rates group by. */
  group: string;
  /** The grader kind (registry key, negation folded in as `not-…`). */
  kind: string;
}

/** Token usage of one completion, as the provider reported it. */
export interface CallUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One candidate's answer to one prompt, graded. */
export interface EvalCell {
  prompt: string;
  candidate: string;
  /** The answer text; absent when the request failed. */
  output?: string;
  finish_reason?: string;
  usage?: CallUsage;
  /** Wall time of the request that produced the answer (kept from the first call when it came from the cache). */
  latency_ms?: number;
  /** Whether the answer came from the response cache in this run. */
  cached: boolean;
  /** The request's failure (provider code and message), when there is no answer. */
  error?: StageError;
  grades: GradeResult[];
  /** All graders passed (false when the request failed or any grader failed or errored). */
  pass: boolean;
}

/** A pass rate with its 95% Wilson interval. */
export interface RateWithInterval {
  rate: number;
  low: number;
  high: number;
  /** Prompts counted (those with at least one grader). */
  n: number;
  /** Kish effective sample size (Σw)²/Σw², used for the interval; equals n when all weights are equal. */
  effective_n: number;
}

export interface CandidateSummary {
  label: string;
  model: string;
  kind: CandidateKind;
  pass: RateWithInterval;
  /** Weighted pass rate per grader name (only over prompts that use the grader). */
  by_grader: { grader: string; rate: number; n: number }[];
  mean_prompt_tokens: number;
  mean_completion_tokens: number;
  /** Null when no answer has a measured latency (answers from a batch have none). */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  /** The inference price this candidate is charged at (see candidatePrice); absent when no price is known. */
  price?: AppliedInferencePrice;
  /** Estimated US dollars per 1,000 requests at `price`; absent without a price or an answer. */
  cost_per_1k_usd?: number;
  requests: number;
  errors: number;
}

/** Exact McNemar test of two candidates on the same prompts. */
export interface PairedComparison {
  candidate: string;
  baseline: string;
  /** Prompts only the candidate passed (wins), only the baseline passed (losses), both or neither passed (ties). */
  wins: number;
  losses: number;
  ties: number;
  /** Two-sided exact binomial p-value on the discordant pairs. */
  p_value: number;
}

export type GateVerdict = { status: "none" } | { status: "passed" | "failed"; candidate: string; reasons: string[] };

export interface EvalSummary {
  candidates: CandidateSummary[];
  comparisons: PairedComparison[];
  gate: GateVerdict;
}

/** Everything recorded by one evaluation; reports are rendered from this alone (plus the training metrics). */
export interface EvalResults {
  version: 1;
  pipeline: string;
  description?: string;
  provider: ProviderIdentity;
  /** The evaluate stage's fingerprint. */
  fingerprint: string;
  params: Record<string, unknown>;
  /** How the candidates' requests were sent; batch requests are priced at batch rates. Absent: sync. */
  mode?: "sync" | "batch";
  candidates: EvalCandidate[];
  prompts: EvalPrompt[];
  cells: EvalCell[];
  summary: EvalSummary;
  /** Which evaluation prompts appear in the training data (absent in results from before the check existed). */
  training_overlap?: TrainingOverlap;
  /** What was trained, on what, at what cost, and how the loss went (absent in older results). */
  training?: TrainingFacts;
}

/** An evaluation prompt that appears in the training data. */
export interface PromptOverlap {
  prompt: string;
  /** The rendered user message that was compared. */
  user: string;
  /** How it matched a training example's user message. */
  match: "exact" | "normalised";
  /** The first training example that has it: its file and 1-based line. */
  training: { file: string; line: number };
}

/**
 * Whether the evaluation prompts are held out: each rendered prompt compared with every training user message. A
 * prompt the model was trained on measures recall, not generalisation, so reports name them.
 */
export interface TrainingOverlap {
  /** The training file compared with (the prepared file, or the raw source when prepare did not run). */
  file: string;
  /** Training examples with chat messages that were compared; 0 means nothing could be compared. */
  examples: number;
  prompts: number;
  /** The prompts that appear in the training data, in prompt order. */
  matches: PromptOverlap[];
}

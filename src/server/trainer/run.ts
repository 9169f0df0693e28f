/**
 * A training run: seeded shuffling per epoch, fixed-size batches, the loss of each batch measured before its
 * update, one SGD (AdaGrad) step per batch, and validation on the model after the step.
 */
import { type Random, seededRandom } from "../../core/prng.js";
import { DpoObjective, type PreferencePair } from "./dpo.js";
import { BatchGradient } from "./gradient.js";
import type { Key } from "./hash.js";
import type { Params } from "./params.js";
import { indexOf, withExamples } from "./retrieval.js";
import { Scorer } from "./scorer.js";
import { toSnapshot } from "./snapshot.js";
import type { Tokenizer } from "./tokenizer.js";
import { scoreTurn, type Turn, type TurnScore, turnsOf } from "./turns.js";
import type { ModelSnapshot, StepMetrics, TrainConfig, TrainingExample, TrainingRun } from "./types.js";

/** The step size at learning_rate_multiplier 1 (AdaGrad's initial step per weight). */
export const BASE_LEARNING_RATE = 0.5;

export class Run implements TrainingRun {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  stepsDone = 0;
  private readonly train: Turn[][];
  private readonly valid: Turn[][];
  private readonly scorer: Scorer;
  /** DPO jobs: the objective over the training pairs, and over the validation pairs when there are some. */
  private readonly dpo: DpoObjective | undefined;
  private readonly dpoValid: DpoObjective | undefined;
  private readonly gradient = new BatchGradient();
  private readonly globalG2 = new Map<Key, number>();
  private order: number[] = [];
  private validCursor = 0;

  constructor(
    tokenizer: Tokenizer,
    private readonly params: Params,
    train: readonly TrainingExample[],
    validation: readonly TrainingExample[] | undefined,
    private readonly config: TrainConfig,
  ) {
    // Training retrieves from the starting model's passages; the job's own examples join them for the trained
    // model (see withExamples), so an answer being taught is never in its own context.
    const passages = indexOf(params.passages);
    this.train = keepRecurringConditions(train.map((ex) => turnsOf(tokenizer, ex, passages)));
    this.valid = (validation ?? []).map((ex) => turnsOf(tokenizer, ex, passages));
    this.scorer = new Scorer(tokenizer);
    if (config.dpo) {
      // The reference is the model before this job: its log-likelihoods are taken now, before any update.
      const pairsOf = (examples: readonly TrainingExample[]): PreferencePair[] =>
        examples.map((ex) => ({
          chosen: turnsOf(tokenizer, ex, passages),
          rejected: turnsOf(tokenizer, { messages: ex.rejected ?? [] }, passages),
        }));
      this.dpo = new DpoObjective(params, this.scorer, pairsOf(train), config.dpo.beta);
      if (validation?.length)
        this.dpoValid = new DpoObjective(params, this.scorer, pairsOf(validation), config.dpo.beta);
    }
    params.passages = withExamples(params.passages, train);
    this.stepsPerEpoch = Math.max(1, Math.ceil(train.length / config.batchSize));
    this.totalSteps = config.nEpochs * this.stepsPerEpoch;
  }

  step(): StepMetrics {
    if (this.stepsDone >= this.totalSteps) throw new Error("internal error, please report: training run is finished");
    const epochIndex = Math.floor(this.stepsDone / this.stepsPerEpoch);
    const inEpoch = this.stepsDone % this.stepsPerEpoch;
    if (inEpoch === 0)
      this.order = shuffledIndices(this.train.length, seededRandom(this.config.seed + epochIndex * 7919));
    const batch = this.order.slice(inEpoch * this.config.batchSize, (inEpoch + 1) * this.config.batchSize);
    const examples = batch.map((i) => this.train[i]!);
    // The batch's loss is measured before its update: the DPO objective's, or the examples' own.
    const dpo = this.dpo?.accumulate(this.params, this.scorer, batch, this.gradient);
    const train = dpo ? undefined : this.evaluate(examples, this.gradient, 1 / batch.length);
    this.gradient.apply(this.params, BASE_LEARNING_RATE * this.config.learningRateMultiplier, this.globalG2);
    this.stepsDone++;
    const head = { step: this.stepsDone, totalSteps: this.totalSteps, epoch: epochIndex + 1 };
    if (dpo) {
      // Token accuracy on the preferred answers, as for supervised jobs, measured after the step.
      const after = this.evaluate(examples);
      const metrics: StepMetrics = {
        ...head,
        trainLoss: mean(dpo.loss, dpo.pairs),
        trainMeanTokenAccuracy: mean(after.correct, after.tokens),
        trainRewardAccuracy: mean(dpo.ranked, dpo.pairs),
        trainRewardMargin: mean(dpo.margin, dpo.pairs),
      };
      if (this.dpoValid)
        metrics.validLoss = mean(this.dpoValid.accumulate(this.params, this.scorer).loss, this.valid.length);
      return metrics;
    }
    const metrics: StepMetrics = {
      ...head,
      trainLoss: mean(train!.nll, train!.tokens),
      trainMeanTokenAccuracy: mean(train!.correct, train!.tokens),
    };
    if (this.valid.length > 0) {
      const v = this.evaluate(this.nextValidationBatch());
      metrics.validLoss = mean(v.nll, v.tokens);
      metrics.validMeanTokenAccuracy = mean(v.correct, v.tokens);
      if (inEpoch === this.stepsPerEpoch - 1) {
        const full = this.evaluate(this.valid);
        metrics.fullValidLoss = mean(full.nll, full.tokens);
        metrics.fullValidMeanTokenAccuracy = mean(full.correct, full.tokens);
      }
    }
    return metrics;
  }

  snapshot(): ModelSnapshot {
    return toSnapshot(this.params, this.config.baseModel);
  }

  private nextValidationBatch(): Turn[][] {
    const n = this.valid.length;
    const size = Math.min(this.config.batchSize, n);
    const batch = Array.from({ length: size }, (_, i) => this.valid[(this.validCursor + i) % n]!);
    this.validCursor = (this.validCursor + size) % n;
    return batch;
  }

  /** The examples' summed scores; with `gradient`, their gradient (times `scale`) is gathered too. */
  private evaluate(examples: readonly Turn[][], gradient?: BatchGradient, scale?: number): TurnScore {
    const totals: TurnScore = { nll: 0, correct: 0, tokens: 0 };
    for (const turns of examples) {
      for (const turn of turns) {
        const s = scoreTurn(this.params, this.scorer, turn, gradient, scale);
        totals.nll += s.nll;
        totals.correct += s.correct;
        totals.tokens += s.tokens;
      }
    }
    return totals;
  }
}

/**
 * A count cutoff on conditioning features, as log-linear models usually have: a system message or question frame
 * that occurs in fewer than MIN_CONDITION_EXAMPLES training examples cannot generalise, so it is dropped (its
 * tables are skipped) instead of memorising one example in tables of its own.
 */
export const MIN_CONDITION_EXAMPLES = 2;

function keepRecurringConditions(examples: Turn[][]): Turn[][] {
  const count = (pick: (t: Turn) => number) => {
    const counts = new Map<number, number>();
    for (const turns of examples) {
      for (const v of new Set(turns.map(pick))) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return (v: number) => (v !== 0 && (counts.get(v) ?? 0) >= MIN_CONDITION_EXAMPLES ? v : 0);
  };
  const sys = count((t) => t.cond.sys);
  const frame = count((t) => t.cond.frame);
  return examples.map((turns) =>
    turns.map((t) => ({ ...t, cond: { ...t.cond, sys: sys(t.cond.sys), frame: frame(t.cond.frame) } })),
  );
}

/** Fisher-Yates shuffle of 0..n-1 driven by `rng` (the data transforms' mulberry32: training never reads Math.random). */
function shuffledIndices(n: number, rng: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Mean per token; a batch without trainable tokens reports 0. */
const mean = (sum: number, n: number) => (n === 0 ? 0 : sum / n);

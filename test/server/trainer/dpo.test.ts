import { describe, expect, it } from "vitest";
import { baseModel, startTraining } from "../../../src/server/trainer/index.js";
import { indexOf } from "../../../src/server/trainer/retrieval.js";
import { Scorer } from "../../../src/server/trainer/scorer.js";
import { paramsOf } from "../../../src/server/trainer/snapshot.js";
import { tokenizerFor } from "../../../src/server/trainer/tokenizer.js";
import { scoreTurn, turnsOf } from "../../../src/server/trainer/turns.js";
import type { ChatMessage, ModelSnapshot, StepMetrics, TrainingExample } from "../../../src/server/trainer/types.js";
import { ELLE_CONFIG, ELLE_TRAIN } from "./elle.js";

/**
 * Preference pairs from Elle: the prompt with Elle's own answer preferred, and a flat, off-voice answer rejected.
 * DPO must raise the preferred answer's likelihood relative to the frozen base model and lower the rejected one's.
 */
const REJECTED = "I am not sure. Please look it up somewhere else.";
const PAIRS: TrainingExample[] = ELLE_TRAIN.map((ex) => {
  const prompt = ex.messages.filter((m) => m.role !== "assistant");
  return { messages: ex.messages, rejected: [...prompt, { role: "assistant", content: REJECTED } as ChatMessage] };
});

/** log π(answer | prompt) of a conversation's assistant turns under `model`: what a DPO run moves. */
function answerLogLikelihood(model: ModelSnapshot, messages: ChatMessage[], reference: ModelSnapshot): number {
  const params = paramsOf(model);
  const tok = tokenizerFor(params.encoding);
  const scorer = new Scorer(tok);
  // Conditions come from the reference's passages, as in training, so both models are scored on the same context.
  const turns = turnsOf(tok, { messages }, indexOf(paramsOf(reference).passages));
  return -turns.reduce((nll, turn) => nll + scoreTurn(params, scorer, turn).nll, 0);
}

function trainDpo(beta: number) {
  const run = startTraining(PAIRS, undefined, { ...ELLE_CONFIG, learningRateMultiplier: 1, dpo: { beta } });
  const metrics: StepMetrics[] = [];
  while (run.stepsDone < run.totalSteps) metrics.push(run.step());
  return { metrics, model: run.snapshot() };
}

/** Mean over the pairs of log π(y) − log π_ref(y), for the preferred and the rejected answers. */
function shifts(model: ReturnType<typeof trainDpo>["model"]) {
  const reference = baseModel(ELLE_CONFIG.baseModel);
  let chosen = 0;
  let rejected = 0;
  for (const pair of PAIRS) {
    chosen +=
      answerLogLikelihood(model, pair.messages, reference) - answerLogLikelihood(reference, pair.messages, reference);
    rejected +=
      answerLogLikelihood(model, pair.rejected!, reference) - answerLogLikelihood(reference, pair.rejected!, reference);
  }
  return { chosen: chosen / PAIRS.length, rejected: rejected / PAIRS.length };
}

describe("DPO on the local trainer", () => {
  const { metrics, model } = trainDpo(0.5);

  it("starts at ln 2 (the model is its own reference) and lowers the preference loss", () => {
    expect(metrics[0]!.trainLoss).toBeCloseTo(Math.log(2), 6);
    const last = metrics.slice(-PAIRS.length).map((m) => m.trainLoss);
    expect(last.reduce((a, b) => a + b, 0) / last.length).toBeLessThan(Math.log(2) - 0.1);
    expect(metrics.at(-1)!.trainRewardAccuracy).toBeGreaterThan(0);
  });

  it("raises the preferred answer's likelihood relative to the reference and lowers the rejected one's", () => {
    const moved = shifts(model);
    expect(moved.chosen).toBeGreaterThan(0);
    expect(moved.rejected).toBeLessThan(0);
  });

  it("depends on beta: another beta trains another model", () => {
    const other = shifts(trainDpo(0.05).model);
    const mine = shifts(model);
    expect(other.chosen - other.rejected).not.toBeCloseTo(mine.chosen - mine.rejected, 3);
  });
});

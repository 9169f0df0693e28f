import type { Clock } from "../../core/clock.js";
import type { JobRecord } from "../records.js";
import type { ModelSnapshot, StepMetrics } from "../trainer/types.js";
import { addEvent, metricsData, metricsMessage } from "./events.js";
import type { JobData } from "./job-data.js";
import type { StepResult, TrainingHandle } from "./training-handle.js";

/** A training run kept in memory while its job is paused, so resume continues where it stopped. */
export interface LiveRun {
  run: TrainingHandle;
  data: Extract<JobData, { ok: true }>;
  /** Model states at the ends of the last epochs, published as checkpoints when the job succeeds. */
  epochEnds: { step: number; metrics: StepMetrics; snapshot: ModelSnapshot }[];
  /** A step that completed after the job was paused; recorded when it resumes. */
  parked?: StepResult;
}

/** How many final epochs keep a checkpoint. */
export const KEPT_CHECKPOINT_EPOCHS = 3;

export interface TrainLoopOptions {
  clock: Clock;
  /** Minimum wall time per step in ms. */
  stepMs: number;
  signal: AbortSignal;
  /** `tunefile_fail=training`: stop with a failure halfway through. */
  failAtHalf: boolean;
  /** False once the job was paused or cancelled. */
  keepRunning: () => boolean;
}

export type TrainLoopOutcome = "done" | "stopped" | "fail-requested";

/**
 * One trainer step per tick: each step's real batch metrics become a `metrics` event and a result-file row; the
 * model is snapshotted at the ends of the last epochs. Between steps the loop yields (and waits out `stepMs`), so
 * the server keeps answering and pause/cancel take effect at the next step.
 */
export async function trainSteps(record: JobRecord, live: LiveRun, o: TrainLoopOptions): Promise<TrainLoopOutcome> {
  const { run } = live;
  const totalEpochs = Math.round(run.totalSteps / run.stepsPerEpoch);
  const firstKeptEpoch = Math.max(1, totalEpochs - KEPT_CHECKPOINT_EPOCHS + 1);
  const halfway = Math.ceil(run.totalSteps / 2);
  const loopStart = o.clock.now().getTime();
  // A step that finished after a pause was requested is recorded when the job resumes, so no metrics event ever
  // follows the pause.
  const parked = live.parked;
  live.parked = undefined;
  if (parked) recordStep(record, live, parked, firstKeptEpoch, o.clock);
  const firstStep = run.stepsDone;
  while (run.stepsDone < run.totalSteps) {
    if (!o.keepRunning()) return "stopped";
    if (o.failAtHalf && run.stepsDone >= halfway) return "fail-requested";
    const started = o.clock.now().getTime();
    const nextEpoch = (run.stepsDone + 1) / run.stepsPerEpoch;
    const result = await run.step(Number.isInteger(nextEpoch) && nextEpoch >= firstKeptEpoch);
    if (o.signal.aborted) throw o.signal.reason;
    if (!o.keepRunning()) {
      live.parked = result;
      return "stopped";
    }
    recordStep(record, live, result, firstKeptEpoch, o.clock);
    const wait = o.stepMs - (o.clock.now().getTime() - started);
    if (wait > 0) await o.clock.sleep(wait, o.signal);
    else await new Promise<void>((resolve) => setImmediate(resolve));
    // The estimate follows the measured pace: remaining steps × average wall time per step so far.
    const now = o.clock.now().getTime();
    const perStep = (now - loopStart) / (run.stepsDone - firstStep);
    record.job.estimated_finish = Math.ceil((now + (run.totalSteps - run.stepsDone) * perStep) / 1000);
    if (o.signal.aborted) throw o.signal.reason;
  }
  return "done";
}

/** One step's real batch metrics become a `metrics` event and a result-file row; kept epoch ends keep the model. */
function recordStep(
  record: JobRecord,
  live: LiveRun,
  { metrics: m, snapshot }: StepResult,
  firstKeptEpoch: number,
  clock: Clock,
): void {
  addEvent(record, clock, metricsMessage(m), { type: "metrics", data: metricsData(m) });
  record.results.push({
    step: m.step,
    train_loss: m.trainLoss,
    train_accuracy: m.trainMeanTokenAccuracy,
    ...(m.validLoss !== undefined ? { valid_loss: m.validLoss } : {}),
    ...(m.validMeanTokenAccuracy !== undefined ? { valid_mean_token_accuracy: m.validMeanTokenAccuracy } : {}),
  });
  const epoch = m.step / live.run.stepsPerEpoch;
  if (snapshot && Number.isInteger(epoch) && epoch >= firstKeptEpoch) {
    live.epochEnds.push({ step: m.step, metrics: m, snapshot });
  }
}

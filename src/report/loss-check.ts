import { metric } from "./format.js";
import { lossSeries, type Series, type TrainingMetrics } from "./metrics.js";

/**
 * When the validation loss says the model is overfitting. Per-step losses are noisy (each is one batch), so they are
 * first averaged over {@link WINDOW} logged points (the full validation loss is used as is when reported at two or
 * more steps), and both rules need a relative and an absolute margin before they speak:
 * - risen: the last validation loss is more than {@link ROSE_RATIO} × its minimum and at least {@link ROSE_MARGIN}
 *   above it (it went down, then up again);
 * - gap: the last validation loss is more than {@link GAP_RATIO} × the last training loss plus {@link GAP_MARGIN}
 *   (the model fits the training examples far better than unseen ones, e.g. training loss near 0, validation near 7).
 */
export const ROSE_RATIO = 1.1;
export const ROSE_MARGIN = 0.05;
export const GAP_RATIO = 2;
export const GAP_MARGIN = 0.1;
/** Logged points averaged per per-step loss value. */
export const WINDOW = 3;

export interface LossPoint {
  step: number;
  value: number;
}

/** The losses the warnings are drawn from, and the warnings in plain words. */
export interface LossCheck {
  /** The validation series used (see above); null without one. */
  validation_series: string | null;
  final_train?: LossPoint;
  final_validation?: LossPoint;
  min_validation?: LossPoint;
  warnings: string[];
}

const last = (s: Series | undefined): LossPoint | undefined => {
  const p = s?.points[s.points.length - 1];
  return p ? { step: p.x, value: p.y } : undefined;
};

/** Trailing mean over up to WINDOW points: the value at each step is the mean of it and the points just before. */
function smooth(s: Series | undefined): Series | undefined {
  if (!s) return undefined;
  const points = s.points.map((p, i) => {
    const window = s.points.slice(Math.max(0, i - WINDOW + 1), i + 1);
    return { x: p.x, y: window.reduce((a, q) => a + q.y, 0) / window.length };
  });
  return { name: `${s.name} (mean of ${WINDOW} logged steps)`, points };
}

/** Reads the training metrics for signs of overfitting; no warnings when there is no validation loss. */
export function checkLoss(metrics: TrainingMetrics): LossCheck {
  const all = lossSeries(metrics);
  const train = smooth(all.find((s) => s.name === "train loss"));
  const full = all.find((s) => s.name === "full validation loss" && s.points.length > 1);
  const validation = full ?? smooth(all.find((s) => s.name === "validation loss"));
  const check: LossCheck = { validation_series: validation?.name ?? null, warnings: [] };
  const finalTrain = last(train);
  if (finalTrain) check.final_train = finalTrain;
  const finalValid = last(validation);
  if (!validation || !finalValid) return check;
  check.final_validation = finalValid;
  // The first minimum: where the curve stopped improving.
  const min = validation.points.reduce((a, p) => (p.y < a.y ? p : a));
  check.min_validation = { step: min.x, value: min.y };
  // Say so when the numbers are averages, so that nobody looks for them on the chart's raw points.
  const averaged = ` (per-step losses averaged over ${WINDOW} logged steps)`;
  if (finalValid.value > min.y * ROSE_RATIO && finalValid.value - min.y >= ROSE_MARGIN) {
    check.warnings.push(
      `validation loss rose from its minimum ${metric(min.y)} at step ${min.x} to ${metric(finalValid.value)} at step ${finalValid.step}${full ? "" : averaged}: the model is overfitting; fewer epochs may help`,
    );
  }
  if (finalTrain && finalValid.value > GAP_RATIO * finalTrain.value + GAP_MARGIN) {
    check.warnings.push(
      `validation loss ends at ${metric(finalValid.value)}, far above the training loss ${metric(finalTrain.value)}${averaged}: the model fits its training examples but not unseen ones (overfitting); fewer epochs or more varied training data may help`,
    );
  }
  return check;
}

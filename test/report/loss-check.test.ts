import { describe, expect, it } from "vitest";
import { checkLoss } from "../../src/report/loss-check.js";
import { parseMetricsCsv } from "../../src/report/metrics.js";

/**
 * step,train_loss,valid_loss of a real run: `tunefile run pipelines/elle.yaml` (n_epochs 3) on the local provider at
 * the commit that added this test, read from .tunefile/elle/metrics.csv. With n_epochs 1 the same run logs exactly
 * the first 10 rows (same seed, same data).
 */
const ELLE_3_EPOCHS =
  `1,10.93996,9.00586 2,10.03772,8.67784 3,7.62954,7.94774 4,6.67222,7.46849 5,5.98528,7.21114 6,5.44228,6.14773 7,4.63663,7.10333 8,9.21897,6.99612 9,6.23254,6.14719 10,4.84844,6.38047 11,1.2831,5.56707 12,0.76065,7.03135 13,0.92157,7.09746 14,0.94813,6.42684 15,1.1871,6.71854 16,0.72202,5.71233 17,0.53225,6.99691 18,0.09304,7.14815 19,0.71085,6.70342 20,1.05348,6.90633 21,0.4044,5.65301 22,0.63076,7.10835 23,0.573,7.1516 24,0.83691,6.69514 25,0.69298,6.9308 26,0.60797,5.73018 27,0.33871,7.08056 28,0.02161,7.10158 29,0.65625,6.73422 30,0.68843,6.99897`.split(
    " ",
  );
const elle = (steps: number) =>
  parseMetricsCsv(`step,train_loss,valid_loss\n${ELLE_3_EPOCHS.slice(0, steps).join("\n")}\n`);

describe("overfitting warnings", () => {
  it("says nothing after elle's first epoch, while validation loss still falls with training loss", () => {
    const check = checkLoss(elle(10));
    expect(check.warnings).toEqual([]);
    expect(check.validation_series).toBe("validation loss (mean of 3 logged steps)");
    expect(check.final_validation?.step).toBe(10);
  });

  it("warns about the gap two steps later, when training loss drops to ~1 and validation loss stays near 6", () => {
    expect(checkLoss(elle(12)).warnings).toEqual([
      "validation loss ends at 6.326, far above the training loss 2.297 (per-step losses averaged over 3 logged steps): the model fits its training examples but not unseen ones (overfitting); fewer epochs or more varied training data may help",
    ]);
  });

  it("warns twice after elle's three epochs: validation loss rose from its minimum, and ends far above training loss", () => {
    const check = checkLoss(elle(30));
    expect(check.warnings).toEqual([
      "validation loss rose from its minimum 6.032 at step 11 to 6.945 at step 30 (per-step losses averaged over 3 logged steps): the model is overfitting; fewer epochs may help",
      "validation loss ends at 6.945, far above the training loss 0.455 (per-step losses averaged over 3 logged steps): the model fits its training examples but not unseen ones (overfitting); fewer epochs or more varied training data may help",
    ]);
    expect(check.min_validation).toEqual({ step: 11, value: expect.closeTo((6.14719 + 6.38047 + 5.56707) / 3, 9) });
  });

  // The thresholds, on the full validation loss (used as logged, over the whole validation set): a rise must be more
  // than 10% and at least 0.05; a gap more than 2 × training loss + 0.1.
  const full = (rows: [number, number, number][]) =>
    parseMetricsCsv(`step,train_loss,full_valid_loss\n${rows.map((r) => r.join(",")).join("\n")}\n`);
  it.each([
    [
      "a rise of exactly 10% is not a warning",
      [
        [1, 0.9, 1.0],
        [2, 0.8, 0.9],
        [3, 0.7, 0.99],
      ],
      0,
    ],
    [
      "a rise of more than 10% is",
      [
        [1, 0.9, 1.0],
        [2, 0.8, 0.9],
        [3, 0.7, 1.0],
      ],
      1,
    ],
    [
      "nor is a rise of 12.5% smaller than 0.05",
      [
        [1, 0.3, 0.3],
        [2, 0.2, 0.2],
        [3, 0.2, 0.225],
      ],
      0,
    ],
    [
      "validation at exactly 2 × training + 0.1 is not a gap",
      [
        [1, 1, 2.1],
        [2, 1, 2.1],
      ],
      0,
    ],
    [
      "just above it is",
      [
        [1, 1, 2.1],
        [2, 1, 2.11],
      ],
      1,
    ],
  ] as [string, [number, number, number][], number][])("%s", (_name, rows, warnings) => {
    const check = checkLoss(full(rows));
    expect(check.validation_series).toBe("full validation loss");
    expect(check.warnings).toHaveLength(warnings);
  });

  it("has nothing to say without validation loss", () => {
    const check = checkLoss(parseMetricsCsv("step,train_loss\n1,2\n2,0.1\n"));
    expect(check).toEqual({
      validation_series: null,
      final_train: { step: 2, value: 1.05 },
      warnings: [],
    });
  });
});

import type { ResultRow } from "../records.js";

/**
 * The `fine-tune-results` file: a CSV with the documented columns, empty cells on steps without
 * validation, stored base64-encoded as the real service does.
 */
export const RESULT_COLUMNS = [
  "step",
  "train_loss",
  "train_accuracy",
  "valid_loss",
  "valid_mean_token_accuracy",
] as const;

export function resultsCsv(rows: readonly ResultRow[]): string {
  const cell = (v: number | undefined) => (v === undefined ? "" : String(round(v)));
  const lines = rows.map((r) =>
    [r.step, cell(r.train_loss), cell(r.train_accuracy), cell(r.valid_loss), cell(r.valid_mean_token_accuracy)].join(
      ",",
    ),
  );
  return `${[RESULT_COLUMNS.join(","), ...lines].join("\n")}\n`;
}

export function resultsFileBytes(rows: readonly ResultRow[]): Buffer {
  return Buffer.from(Buffer.from(resultsCsv(rows), "utf8").toString("base64"), "utf8");
}

/** Five decimals, like the real files (`1,1.52347,0.0,,`). */
function round(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}

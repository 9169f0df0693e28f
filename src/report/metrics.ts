import { readFile } from "node:fs/promises";

/**
 * The training metrics the train stage writes to `<workDir>/metrics.csv`, in the columns of OpenAI's result file
 * (`step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy`, more allowed). Empty cells are absent values.
 */
export interface TrainingMetrics {
  columns: string[];
  rows: Record<string, number | undefined>[];
}

/** A named series of (step, value) points for a chart. */
export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

export function parseMetricsCsv(text: string): TrainingMetrics {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const columns = (lines[0] ?? "").split(",").map((c) => c.trim());
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(",");
    const row: Record<string, number | undefined> = {};
    columns.forEach((c, i) => {
      const cell = cells[i]?.trim() ?? "";
      const value = cell === "" ? Number.NaN : Number(cell);
      row[c] = Number.isFinite(value) ? value : undefined;
    });
    return row;
  });
  return { columns, rows };
}

/** Reads the metrics file; undefined when there is none (training did not run here). */
export async function readMetrics(file: string): Promise<TrainingMetrics | undefined> {
  try {
    return parseMetricsCsv(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** The series of the first of `names` columns present, against `step`. */
export function series(metrics: TrainingMetrics, label: string, names: readonly string[]): Series | undefined {
  const column = names.find((n) => metrics.columns.includes(n));
  if (!column) return undefined;
  const points = metrics.rows.flatMap((r, i) => {
    const y = r[column];
    return y === undefined ? [] : [{ x: r.step ?? i + 1, y }];
  });
  return points.length > 0 ? { name: label, points } : undefined;
}

export function lossSeries(metrics: TrainingMetrics): Series[] {
  return [
    series(metrics, "train loss", ["train_loss"]),
    series(metrics, "validation loss", ["valid_loss"]),
    series(metrics, "full validation loss", ["full_valid_loss"]),
  ].filter((s): s is Series => s !== undefined);
}

export function accuracySeries(metrics: TrainingMetrics): Series[] {
  return [
    series(metrics, "train accuracy", ["train_accuracy", "train_mean_token_accuracy"]),
    series(metrics, "validation accuracy", ["valid_mean_token_accuracy", "valid_accuracy"]),
    series(metrics, "full validation accuracy", ["full_valid_mean_token_accuracy"]),
  ].filter((s): s is Series => s !== undefined);
}

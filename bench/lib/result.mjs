// The shape every benchmark reports: rows of figures (median, min, max over runs) with an optional target.

import { summarize } from "./measure.mjs";

/** Peak RSS target for every data-path command, whatever the input size (issue 7). */
export const RSS_LIMIT_MB = 200;

/**
 * One figure.
 * @param {object} o
 * @param {string} o.label what was measured, e.g. "validate 50 MB"
 * @param {string} o.unit "ms", "MB/s", "req/s", "x baseline", "ms/req"
 * @param {number[]} o.values one value per run
 * @param {number[]} [o.rssKB] peak RSS per run, in KB; the row reports the highest
 * @param {{op: "<" | "<=" | ">=", value: number}} [o.target] checked against the median
 * @param {boolean} [o.rssTarget] whether the RSS limit applies to this row
 * @param {string} [o.note]
 * @param {{stoppedEarly?: string}} [o.samples] the samples from repeat(), whose early stop the row records
 */
export function row({ label, unit, values, rssKB, target, rssTarget = false, note, samples }) {
  // The CPU time (user + system) of each measured process, when the samples are processes: on a shared machine
  // it tells the work apart from the waiting.
  const cpu = samples?.map((s) => s?.cpuMs).filter((v) => v !== undefined);
  const cpuSecondsMedian = cpu && cpu.length > 0 ? summarize(cpu).median / 1000 : undefined;
  const { median, min, max } = summarize(values);
  const rss = rssKB?.filter((v) => v !== undefined);
  const peakRssMB = rss && rss.length > 0 ? Math.max(...rss) / 1024 : undefined;
  const out = { label, unit, runs: values.length, median, min, max, values, peakRssMB, cpuSecondsMedian };
  if (target) {
    out.target = `${target.op} ${target.value} ${unit}`;
    out.targetMet =
      target.op === "<" ? median < target.value : target.op === "<=" ? median <= target.value : median >= target.value;
  }
  if (rssTarget && peakRssMB !== undefined) {
    out.rssTarget = `< ${RSS_LIMIT_MB} MB`;
    out.rssTargetMet = peakRssMB < RSS_LIMIT_MB;
  }
  const notes = [note, samples?.stoppedEarly].filter(Boolean);
  if (notes.length > 0) out.note = notes.join("; ");
  return out;
}

/** Throughput per run in MB/s (MB = 10^6 bytes). */
export function mbPerSec(bytes, wallMsList) {
  return wallMsList.map((ms) => bytes / 1e6 / (ms / 1000));
}

/** Marks a benchmark as not built yet; the runner prints "not available yet: <why>". */
export class NotAvailable extends Error {}

/** True when a CLI command is still the scaffold's stub. */
export function isStub(result) {
  return /not built yet/.test(result.stderr);
}

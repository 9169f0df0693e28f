import path from "node:path";
import { pipelinePaths } from "../config/paths.js";
import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { readLockfile } from "../engine/lockfile/store.js";
import { STAGE_NAMES, type StageRecord } from "../engine/stage.js";
import { summarizeOutputs } from "../engine/summary.js";
import { type CliIo, EXIT } from "./io.js";

/**
 * `tunefile status <pipeline>`: each stage's state from the lockfile: status, attempts, start and end times, key
 * outputs (job id, model, ...) and the last error. It reads only the lockfile, so it works while a run is going on
 * and even when the pipeline file itself no longer validates. `--json` prints the lockfile's content as JSON.
 * Exit 0, or 2 when the lockfile is corrupt, invalid or from a newer tunefile.
 */
export default async function status(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const file = String((args._ as string[])[0]);
  const abs = path.resolve(io.cwd, file);
  const paths = pipelinePaths(abs, file, io.cwd, "");
  const display = path.join(path.dirname(file), path.basename(paths.lockfile));
  const read = await readLockfile(paths.lockfile, display, path.basename(abs).replace(/\.ya?ml$/i, ""));
  if (!read.ok) {
    const sources = new Map(read.text !== undefined ? [[display, read.text]] : []);
    io.stderr.write(renderDiagnostics(read.diagnostics, sources, { color: wantsColor(io.env, io.isTTY) }));
    return EXIT.invalid;
  }
  const { lockfile } = read;
  if (args.json === true) {
    io.stdout.write(`${JSON.stringify({ lockfile: display, exists: read.existed, ...lockfile })}\n`);
    return EXIT.ok;
  }
  if (!read.existed) {
    io.stdout.write(`${display}: no runs recorded yet; \`tunefile plan ${file}\` shows what run would do\n`);
    return EXIT.ok;
  }
  const provider = lockfile.provider ? `, provider ${lockfile.provider.kind} ${lockfile.provider.base_url}` : "";
  const rows: string[][] = [["stage", "status", "attempts", "started", "finished"]];
  const details: string[] = [];
  for (const stage of STAGE_NAMES) {
    const record = lockfile.stages[stage];
    rows.push(record ? recordRow(stage, record) : [stage, "never run", "", "", ""]);
    const line = record ? detail(stage, record) : "";
    if (line) details.push(`  ${stage}: ${line}`);
  }
  const out = [`${lockfile.pipeline} (${display})${provider}`, "", ...table(rows)];
  if (details.length > 0) out.push("", ...details);
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

function recordRow(stage: string, record: StageRecord): string[] {
  const remote = record.status === "running" && record.checkpoint ? " (in progress or interrupted)" : "";
  return [
    stage,
    `${record.status}${remote}`,
    String(record.attempts),
    record.started_at ?? "",
    record.finished_at ?? "",
  ];
}

function detail(stage: (typeof STAGE_NAMES)[number], record: StageRecord): string {
  const parts: string[] = [];
  const summary = summarizeOutputs(stage, record.outputs);
  if (summary) parts.push(summary);
  if (record.status === "running" && record.checkpoint) {
    const ids = Object.entries(record.checkpoint)
      .filter(([, v]) => typeof v === "string")
      .map(([k, v]) => `${k} ${v}`);
    if (ids.length > 0) parts.push(`checkpoint: ${ids.join(", ")}`);
  }
  if (record.error && record.status !== "succeeded") parts.push(`error ${record.error.code}: ${record.error.message}`);
  return parts.join("; ");
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
}

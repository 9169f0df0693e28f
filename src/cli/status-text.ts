import path from "node:path";
import { type AliasState, describeMoved } from "../deploy/record.js";
import { STAGE_NAMES, type StageRecord } from "../engine/stage.js";
import { summarizeOutputs } from "../engine/summary.js";
import type { RemoteAnswer, StatusView } from "../report/status-view.js";
import { fineTuningLifecycle } from "../core/catalog/lifecycle.js";
import { LOCAL_JOB_STOPS } from "./local-jobs.js";
import { checkpointOf } from "../engine/stage-io.js";

/** The status table and its detail lines, for a terminal. */
export function renderStatus(view: StatusView, file: string, now: Date): string {
  const { lockfile, display, gate, alias, remote, deployFile } = view;
  if (!view.exists) return `${display}: no runs recorded yet; \`tunefile plan ${file}\` shows what run would do\n`;
  const train = lockfile.stages.train;
  const provider = lockfile.provider ? `, provider ${lockfile.provider.kind} ${lockfile.provider.base_url}` : "";
  const rows: string[][] = [["stage", "status", "attempts", "started", "finished"]];
  const details: string[] = [];
  for (const stage of STAGE_NAMES) {
    const record = lockfile.stages[stage];
    if (stage === "deploy" && gate) {
      rows.push([stage, "skipped (gate not met)", record ? String(record.attempts) : "", "", ""]);
      details.push(`  deploy: skipped by the gate: ${gate}`);
    } else {
      const row = record ? recordRow(stage, record) : [stage, "never run", "", "", ""];
      if (stage === "deploy" && alias.kind === "moved") row[1] = `${row[1]}, not fresh (rolled back)`;
      rows.push(row);
      const line = record ? detail(record) : "";
      if (line) details.push(`  ${stage}: ${line}`);
    }
  }
  const aliasLine = describeAlias(alias, deployFile, lockfile.stages.deploy);
  if (aliasLine) details.push(`  alias: ${aliasLine}`);
  const out = [`${lockfile.pipeline} (${display})${provider}`, "", ...table(rows)];
  if (remote) details.push(`  train: remote: ${describeRemote(remote)}`);
  // Nothing trains a local job between commands: say so rather than let "running" suggest it progresses.
  const localJob = checkpointOf("train", train).provider?.kind === "local";
  if (remote && localJob && !("error" in remote) && !["succeeded", "failed", "cancelled"].includes(remote.status)) {
    details.push(`  train: ${LOCAL_JOB_STOPS}`);
  }
  // The provider of the last run stops taking new jobs soon (or has): the next training run needs another.
  const lifecycle = lockfile.provider ? fineTuningLifecycle(lockfile.provider.kind, now) : { kind: "open" as const };
  if (lifecycle.kind !== "open") details.push(`  warning: ${lifecycle.message}`);
  if (details.length > 0) out.push("", ...details);
  return `${out.join("\n")}\n`;
}

/** Where the deploy alias points now, and whether a rollback moved it away from what the last deploy recorded. */
function describeAlias(state: AliasState, file: string, deploy: StageRecord | undefined): string | undefined {
  switch (state.kind) {
    case "missing":
      return deploy?.status === "succeeded"
        ? `${path.basename(file)} is missing: the next run deploys again`
        : undefined;
    case "same":
      return `${state.alias} points at ${state.model}`;
    case "moved":
      return `${describeMoved(state)}; deploy is not fresh (\`tunefile run --from deploy\` deploys it again)`;
  }
}

function describeRemote(remote: RemoteAnswer): string {
  if ("error" in remote) return `unavailable (${remote.error})`;
  const parts = [remote.status];
  if (remote.step !== undefined) {
    parts.push(remote.totalSteps !== undefined ? `step ${remote.step}/${remote.totalSteps}` : `step ${remote.step}`);
  }
  if (remote.loss !== undefined) parts.push(`loss ${remote.loss.toFixed(2)}`);
  if (remote.fine_tuned_model) parts.push(`model ${remote.fine_tuned_model}`);
  return `${parts.join(", ")}${remote.latest ? `; latest: ${remote.latest}` : ""}`;
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

function detail(record: StageRecord): string {
  const parts: string[] = [];
  const summary = summarizeOutputs(record.outputs);
  if (summary) parts.push(summary);
  if (record.status === "running" && record.checkpoint) {
    // Remote ids only (job_id, file ids); intent markers and times stay in the lockfile.
    const ids = Object.entries(record.checkpoint)
      .filter(([k, v]) => typeof v === "string" && /id$/.test(k))
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
